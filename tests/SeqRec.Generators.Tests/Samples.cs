namespace SeqRec.Generators.Tests;

/// <summary>Test sources: a section using every supported parameter kind, and a model registered against it.</summary>
internal static class Samples
{
    public const string Section = """
        using SeqRec;
        using SeqRec.Configuration;

        namespace Sample;

        public enum Flavour { Plain, ExtraSpicy, CE }

        [ConfigSection("sample")]
        public sealed partial record SampleConfig
        {
            [Param(Min = 1, Max = 12, Help = "Layers.", Alias = "n_layers")] public int NumLayers { get; init; } = 2;
            [Param(Min = 0)] public long Seed { get; init; } = 7;
            [Param(Min = 0.0, Max = 1.0, Help = "Dropout \"probability\".")] public double DropoutProb { get; init; } = 0.5;
            [Param] public float Scale { get; init; } = 1.5f;
            [Param] public bool Enabled { get; init; } = true;
            [Param] public string Name { get; init; } = "x";
            [Param] public Flavour Flavour { get; init; } = Flavour.ExtraSpicy;
            [Param] public int[] Topk { get; init; } = [10];
            [Param] public long[] Ids { get; init; } = [];
            [Param] public double[] Weights { get; init; } = [0.5];
            [Param] public string[] Metrics { get; init; } = ["MRR"];
            [Param(Min = 0)] public double? ClipGradNorm { get; init; }
            [Param] public bool? Shuffle { get; init; }

            partial void OnValidate(ConfigErrors errors)
            {
                if (NumLayers == 3) errors.Error("num_layers", "three is unlucky");
            }
        }
        """;

    /// <summary>Stand-ins for the SeqRec.Core types the generated catalog refers to (the tests do not load TorchSharp).</summary>
    public const string Modeling = """
        namespace SeqRec.Modeling;

        public abstract class SequentialRecommender { }

        public sealed record ModelContext(int NItems, int MaxSeqLength, int NUsers = 0);

        public sealed record ModelInfo(string Id, string DisplayName, string Paper, System.Type ModelType,
            SeqRec.Configuration.ConfigSectionInfo Config,
            System.Func<SeqRec.Configuration.IConfigSection, ModelContext, SequentialRecommender> Create)
        {
            public string Remarks { get; init; } = "";
        }
        """;

    public const string Model = """
        using SeqRec;
        using SeqRec.Modeling;

        namespace Sample;

        [ModelCatalog]
        public static partial class SampleModels;

        [Model("sample", DisplayName = "Sample Model", Paper = "Nobody, 2026", Remarks = "Scores \"as is\".")]
        public sealed class SampleModel : SequentialRecommender
        {
            public SampleModel(SampleConfig config, ModelContext context) { }
        }
        """;

    /// <summary>A model without a declared catalog: the generator emits an internal one named after the assembly.</summary>
    public const string ModelWithoutCatalog = """
        using SeqRec;
        using SeqRec.Modeling;

        namespace Sample;

        [Model("sample")]
        public sealed class SampleModel : SequentialRecommender
        {
            public SampleModel(SampleConfig config, ModelContext context) { }
        }
        """;
}

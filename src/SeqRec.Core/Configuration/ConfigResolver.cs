using SeqRec.Modeling;

namespace SeqRec.Configuration;

/// <summary>
/// Merges the configuration layers of a <see cref="ConfigRequest"/> and binds them into a <see cref="ResolvedConfig"/>.
/// Every problem of every layer is collected; if there is any, a <see cref="ConfigException"/> lists them all.
/// </summary>
public static class ConfigResolver
{
    public const string ModelKey = "model";

    /// <summary>The sections every run has, besides its model's.</summary>
    public static IReadOnlyList<ConfigSectionInfo> CoreSections { get; } = [DataConfig.Info, TrainerConfig.Info, EvalConfig.Info];

    public static ResolvedConfig Resolve(ConfigRequest request, ModelRegistry models)
    {
        var errors = new ConfigErrors();
        var (merged, negativeSampling) = Merge(request, models, errors);

        var model = ChooseModel(request, merged, models, errors);
        var data = DataConfig.Bind(merged[DataConfig.SectionName] as ConfigTable, errors);
        var trainer = TrainerConfig.Bind(merged[TrainerConfig.SectionName] as ConfigTable, errors);
        var eval = EvalConfig.Bind(merged[EvalConfig.SectionName] as ConfigTable, errors);
        var modelConfig = model?.Config.Bind(merged[model.Config.Name] as ConfigTable, errors);
        if (modelConfig is IValidatesWithData dataRule) dataRule.ValidateWithData(data, errors);
        CheckNegativeSampling(negativeSampling, modelConfig, errors);
        CheckTopLevel(merged, models, errors);

        if (errors.HasErrors || model is null || modelConfig is null) throw new ConfigException(errors.Errors);
        // The data folder actually read, so that a run's saved configuration says where its data came from.
        data = data with { DataPath = SeqRec.Data.DatasetLocation.DataFolder(data) };
        return new ResolvedConfig(model, modelConfig, data, trainer, eval, errors.Warnings);
    }

    private static (ConfigTable Merged, NegativeSamplingSetting? NegativeSampling) Merge(ConfigRequest request, ModelRegistry models, ConfigErrors errors)
    {
        var layers = new List<ConfigTable>();
        foreach (var file in request.Files)
        {
            if (ConfigFileReader.ReadFile(file, errors) is { } table) layers.Add(table);
        }
        foreach (var text in request.Texts)
        {
            if (TomlConfigReader.Read(text.Toml, text.Origin, errors) is { } table) layers.Add(table);
        }
        if (request.Values is { } values) layers.Add(ConfigOverrides.FromDictionary(values, errors));
        layers.Add(ConfigOverrides.FromSetArguments(request.Sets, errors));
        if (request.Dataset is { } dataset)
            layers.Add(ConfigOverrides.FromSetArguments([$"{DataConfig.SectionName}.dataset=\"{dataset}\""], errors));
        if (request.DataPath is { } dataPath)
            layers.Add(ConfigOverrides.FromDictionary(new Dictionary<string, object?> { [$"{DataConfig.SectionName}.data_path"] = dataPath }, errors));

        var merged = new ConfigTable(ConfigSource.Defaults);
        var sections = AllSections(models).ToList();
        NegativeSamplingSetting? negativeSampling = null;
        foreach (var layer in layers)
        {
            negativeSampling = RecBoleKeys.Translate(layer, sections, errors) ?? negativeSampling;
            FlatKeys.MoveIntoSections(layer, sections, errors);
            merged.MergeFrom(layer);
        }
        return (merged, negativeSampling);
    }

    /// <summary>RecBole's <c>train_neg_sample_args</c> must agree with the loss: negatives for BPR, none for CE.</summary>
    private static void CheckNegativeSampling(NegativeSamplingSetting? setting, object? modelConfig, ConfigErrors errors)
    {
        if (setting is null || modelConfig is not IConfigSection section) return;
        var lossType = section.GetValues().FirstOrDefault(v => v.Key == "loss_type").Value?.ToString();
        if (setting.Enabled && lossType == "CE")
            errors.Error("train_neg_sample_args", "negative sampling is set but loss_type is CE, which uses none (RecBole stops here too); set loss_type: BPR, or train_neg_sample_args: ~", setting.Source);
        else if (!setting.Enabled && lossType == "BPR")
            errors.Error("train_neg_sample_args", "None, but loss_type BPR needs one negative per sample; set {distribution: uniform, sample_num: 1} or leave it out", setting.Source);
    }

    private static ModelInfo? ChooseModel(ConfigRequest request, ConfigTable merged, ModelRegistry models, ConfigErrors errors)
    {
        var node = merged[ModelKey];
        var id = request.Model ?? (node as ConfigScalar)?.Value as string;
        var known = models.All.Select(m => m.Id).ToList();
        if (id is null)
        {
            if (node is not null) errors.Error(ModelKey, $"expected a model id, got {node.Describe()}", node.Source);
            else errors.Error(ModelKey, $"no model chosen: pass --model or set model = \"...\" (known: {string.Join(", ", known)})");
            return null;
        }
        var model = models.Find(id);
        if (model is null)
        {
            var source = request.Model is null ? node?.Source : new ConfigSource("--model");
            errors.Error(ModelKey, ConfigReader.UnknownMessage($"model '{id}'", id, known) + $" (known: {string.Join(", ", known)})",
                source ?? ConfigSource.CommandLine);
        }
        return model;
    }

    /// <summary>Top-level entries must be the model key or a known section (another model's section is allowed).</summary>
    private static void CheckTopLevel(ConfigTable merged, ModelRegistry models, ConfigErrors errors)
    {
        var sections = AllSections(models).Select(s => s.Name).ToList();
        foreach (var (key, node) in merged.Items)
        {
            if (key == ModelKey) continue;
            if (!sections.Contains(key))
                errors.Error(key, node is ConfigTable ? ConfigReader.UnknownMessage("section", key, sections) : UnknownFlatKey(key, models), node.Source);
            else if (node is not ConfigTable)
                errors.Error(key, $"expected a table [{key}], got {node.Describe()}", node.Source);
        }
    }

    private static string UnknownFlatKey(string key, ModelRegistry models)
    {
        var qualified = AllSections(models).SelectMany(s => s.Parameters.Select(p => (Key: p.Key, Path: $"{s.Name}.{p.Key}"))).ToList();
        var nearest = Suggestions.Nearest(key, qualified.Select(q => q.Key));
        return nearest is null
            ? "unknown key"
            : $"unknown key; did you mean '{qualified.First(q => q.Key == nearest).Path}'?";
    }

    private static IEnumerable<ConfigSectionInfo> AllSections(ModelRegistry models) =>
        CoreSections.Concat(models.All.Select(m => m.Config)).DistinctBy(s => s.Name);
}

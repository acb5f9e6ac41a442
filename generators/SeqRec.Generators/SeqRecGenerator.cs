using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SeqRec.Generators
{
    /// <summary>
    /// Turns [ConfigSection] records into binders and [Model] classes into registry entries. Each transform reads its
    /// symbol once into equatable data; source and diagnostics are separate outputs, so moving a diagnostic does not
    /// regenerate source and an unrelated edit regenerates nothing.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class SeqRecGenerator : IIncrementalGenerator
    {
        public const string ConfigSectionAttribute = "SeqRec.ConfigSectionAttribute";
        public const string ModelAttribute = "SeqRec.ModelAttribute";

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var sections = context.SyntaxProvider
                .ForAttributeWithMetadataName(ConfigSectionAttribute,
                    static (node, _) => node is TypeDeclarationSyntax,
                    SectionParser.Parse)
                .WithTrackingName(TrackingNames.Sections);

            var models = context.SyntaxProvider
                .ForAttributeWithMetadataName(ModelAttribute,
                    static (node, _) => node is ClassDeclarationSyntax,
                    ModelParser.Parse)
                .WithTrackingName(TrackingNames.Models);

            var sectionModels = sections
                .Select(static (r, _) => r.Section)
                .Where(static s => s is not null)
                .WithTrackingName(TrackingNames.SectionModels);
            context.RegisterSourceOutput(sectionModels, static (spc, section) =>
                spc.AddSource(section!.FullyQualifiedName.Replace("global::", "") + ".g.cs", SectionEmitter.Emit(section)));

            context.RegisterSourceOutput(sections.Select(static (r, _) => r.Diagnostics), ReportAll);
            context.RegisterSourceOutput(models.Select(static (r, _) => r.Diagnostics), ReportAll);

            var duplicateSections = sections.Collect()
                .Select(static (all, _) => FindDuplicates(all.Where(r => r.Section is not null).Select(r => (r.Section!.SectionName, r.Section.TypeName, r.Location)), Diagnostics.DuplicateSection))
                .WithTrackingName(TrackingNames.DuplicateSections);
            context.RegisterSourceOutput(duplicateSections, ReportAll);

            var registry = models.Collect()
                .Select(static (all, _) => all.Where(r => r.Model is not null).Select(r => r.Model!).ToImmutableArray())
                .Select(static (all, _) => new EquatableArray<ModelEntry>(all))
                .WithTrackingName(TrackingNames.Registry);
            context.RegisterSourceOutput(registry, static (spc, entries) =>
            {
                if (entries.Count > 0) spc.AddSource("SeqRecModels.g.cs", RegistryEmitter.Emit(entries.ToImmutableArray()));
            });

            var duplicateModels = models.Collect()
                .Select(static (all, _) => FindDuplicates(all.Where(r => r.Model is not null).Select(r => (r.Model!.Id, r.Model.FullyQualifiedName.Replace("global::", ""), r.Location)), Diagnostics.DuplicateModelId))
                .WithTrackingName(TrackingNames.DuplicateModels);
            context.RegisterSourceOutput(duplicateModels, ReportAll);
        }

        private static void ReportAll(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics)
        {
            foreach (var diagnostic in diagnostics) context.ReportDiagnostic(diagnostic.ToDiagnostic());
        }

        private static EquatableArray<DiagnosticInfo> FindDuplicates(IEnumerable<(string Name, string Owner, LocationInfo? Location)> items, DiagnosticDescriptor descriptor)
        {
            var seen = new Dictionary<string, string>(System.StringComparer.Ordinal);
            var found = new List<DiagnosticInfo>();
            foreach (var (name, owner, location) in items)
            {
                if (seen.TryGetValue(name, out var first))
                    found.Add(new DiagnosticInfo(descriptor.Id, location, new[] { name, first, owner }.ToEquatableArray()));
                else
                    seen[name] = owner;
            }
            return found.ToEquatableArray();
        }
    }

    /// <summary>Names of the tracked pipeline steps, for the incremental-caching tests.</summary>
    public static class TrackingNames
    {
        public const string Sections = nameof(Sections);
        public const string Models = nameof(Models);
        public const string SectionModels = nameof(SectionModels);
        public const string DuplicateSections = nameof(DuplicateSections);
        public const string Registry = nameof(Registry);
        public const string DuplicateModels = nameof(DuplicateModels);
    }
}

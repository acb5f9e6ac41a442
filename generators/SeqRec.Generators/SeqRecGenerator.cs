using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SeqRec.Generators
{
    /// <summary>
    /// Turns [ConfigSection] records into binders and [Model] classes into the assembly's model catalog. Each transform reads its
    /// symbol once into equatable data; source and diagnostics are separate outputs, so moving a diagnostic does not
    /// regenerate source and an unrelated edit regenerates nothing.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class SeqRecGenerator : IIncrementalGenerator
    {
        public const string ConfigSectionAttribute = "SeqRec.ConfigSectionAttribute";
        public const string ModelAttribute = "SeqRec.ModelAttribute";
        public const string ModelCatalogAttribute = "SeqRec.ModelCatalogAttribute";

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

            var catalogs = context.SyntaxProvider
                .ForAttributeWithMetadataName(ModelCatalogAttribute,
                    static (node, _) => node is ClassDeclarationSyntax,
                    CatalogParser.Parse)
                .WithTrackingName(TrackingNames.Catalogs);
            context.RegisterSourceOutput(catalogs.Select(static (r, _) => r.Diagnostics), ReportAll);

            var duplicateCatalogs = catalogs.Collect()
                .Select(static (all, _) => FindDuplicateCatalogs(all))
                .WithTrackingName(TrackingNames.DuplicateCatalogs);
            context.RegisterSourceOutput(duplicateCatalogs, ReportAll);

            var modelEntries = models.Collect()
                .Select(static (all, _) => all.Where(r => r.Model is not null).Select(r => r.Model!).ToEquatableArray());
            var declaredCatalog = catalogs.Collect()
                .Select(static (all, _) => all.Select(r => r.Catalog).FirstOrDefault(c => c is not null));
            var assemblyName = context.CompilationProvider.Select(static (c, _) => c.AssemblyName ?? "");
            var registry = modelEntries.Combine(declaredCatalog).Combine(assemblyName)
                .Select(static (parts, _) => new CatalogSpec(parts.Left.Left, parts.Left.Right, parts.Right))
                .WithTrackingName(TrackingNames.Registry);
            context.RegisterSourceOutput(registry, static (spc, spec) =>
            {
                if (spec.Models.Count > 0 || spec.Catalog is not null) spc.AddSource("ModelCatalog.g.cs", RegistryEmitter.Emit(spec));
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

        private static EquatableArray<DiagnosticInfo> FindDuplicateCatalogs(ImmutableArray<CatalogResult> all)
        {
            var valid = all.Where(r => r.Catalog is not null).ToList();
            return valid.Skip(1)
                .Select(r => new DiagnosticInfo(Diagnostics.DuplicateCatalog.Id, r.Location, new[] { r.Catalog!.TypeName, valid[0].Catalog!.TypeName }.ToEquatableArray()))
                .ToEquatableArray();
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
        public const string Catalogs = nameof(Catalogs);
        public const string DuplicateCatalogs = nameof(DuplicateCatalogs);
    }
}

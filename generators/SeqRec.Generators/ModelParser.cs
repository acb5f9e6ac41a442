using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace SeqRec.Generators
{
    /// <summary>Reads a [Model] class once into a <see cref="ModelEntry"/> and its diagnostics.</summary>
    internal static class ModelParser
    {
        public const string ConfigSectionAttribute = "SeqRec.ConfigSectionAttribute";
        public const string RecommenderBase = "SeqRec.Modeling.SequentialRecommender";
        public const string ModelContextType = "SeqRec.Modeling.ModelContext";

        public static ModelResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var type = (INamedTypeSymbol)context.TargetSymbol;
            var location = type.Locations.FirstOrDefault();
            var attribute = context.Attributes[0];
            var id = attribute.ConstructorArguments.FirstOrDefault().Value as string ?? "";
            string displayName = id, paper = "", remarks = "";
            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key == "DisplayName" && named.Value.Value is string d && d.Length > 0) displayName = d;
                if (named.Key == "Paper" && named.Value.Value is string p) paper = p;
                if (named.Key == "Remarks" && named.Value.Value is string r) remarks = r;
            }

            ModelResult Fail(DiagnosticDescriptor descriptor, params string[] arguments) =>
                new(null, LocationInfo.From(location), new[] { DiagnosticInfo.Create(descriptor, location, arguments) }.ToEquatableArray());

            if (type.TypeKind != TypeKind.Class || type.IsAbstract || type.IsGenericType)
                return Fail(Diagnostics.InvalidModel, type.Name);
            if (!DerivesFrom(type, RecommenderBase))
                return Fail(Diagnostics.ModelNotRecommender, type.Name);

            var withConfig = type.InstanceConstructors
                .Where(c => c.DeclaredAccessibility == Accessibility.Public && c.Parameters.Length > 0 && IsConfigSection(c.Parameters[0].Type))
                .ToList();
            if (withConfig.Count == 0)
                return Fail(Diagnostics.ModelWithoutConfig, type.Name);

            var constructor = withConfig.FirstOrDefault(c => c.Parameters.Length == 2 && c.Parameters[1].Type.ToDisplayString() == ModelContextType);
            var config = withConfig[0].Parameters[0].Type;
            if (constructor is null)
                return Fail(Diagnostics.ModelWithoutConstructor, type.Name, config.Name);

            var entry = new ModelEntry(
                id,
                displayName,
                paper,
                remarks,
                type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                constructor.Parameters[0].Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
            return new ModelResult(entry, LocationInfo.From(location), EquatableArray<DiagnosticInfo>.Empty);
        }

        private static bool IsConfigSection(ITypeSymbol type) =>
            type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == ConfigSectionAttribute);

        private static bool DerivesFrom(INamedTypeSymbol type, string baseName)
        {
            for (var current = type.BaseType; current is not null; current = current.BaseType)
                if (current.ToDisplayString() == baseName) return true;
            return false;
        }
    }
}

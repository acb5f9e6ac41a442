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

        public static ModelResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var type = (INamedTypeSymbol)context.TargetSymbol;
            var location = type.Locations.FirstOrDefault();
            var attribute = context.Attributes[0];
            var id = attribute.ConstructorArguments.FirstOrDefault().Value as string ?? "";
            string displayName = id, paper = "";
            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key == "DisplayName" && named.Value.Value is string d && d.Length > 0) displayName = d;
                if (named.Key == "Paper" && named.Value.Value is string p) paper = p;
            }

            var diagnostics = new List<DiagnosticInfo>();
            if (type.TypeKind != TypeKind.Class || type.IsAbstract || type.IsGenericType)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InvalidModel, location, type.Name));
                return new ModelResult(null, LocationInfo.From(location), diagnostics.ToEquatableArray());
            }

            var config = FindConfigType(type);
            if (config is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ModelWithoutConfig, location, type.Name));
                return new ModelResult(null, LocationInfo.From(location), diagnostics.ToEquatableArray());
            }

            var constructor = type.InstanceConstructors.FirstOrDefault(c =>
                c.DeclaredAccessibility == Accessibility.Public
                && c.Parameters.Length is 1 or 2
                && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, config));
            if (constructor is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ModelWithoutConstructor, location, type.Name, config.Name));
                return new ModelResult(null, LocationInfo.From(location), diagnostics.ToEquatableArray());
            }

            var entry = new ModelEntry(
                id,
                displayName,
                paper,
                type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                config.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                constructor.Parameters.Length == 2 ? constructor.Parameters[1].Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) : null);
            return new ModelResult(entry, LocationInfo.From(location), diagnostics.ToEquatableArray());
        }

        /// <summary>The first type argument of a base class that is a [ConfigSection] type.</summary>
        private static ITypeSymbol? FindConfigType(INamedTypeSymbol type)
        {
            for (var current = type.BaseType; current is not null; current = current.BaseType)
            {
                foreach (var argument in current.TypeArguments)
                {
                    if (argument.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == ConfigSectionAttribute))
                        return argument;
                }
            }
            return null;
        }
    }
}

using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SeqRec.Generators
{
    /// <summary>Reads a [ModelCatalog] class once into a <see cref="CatalogEntry"/> and its diagnostics.</summary>
    internal static class CatalogParser
    {
        public static CatalogResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var type = (INamedTypeSymbol)context.TargetSymbol;
            var location = type.Locations.FirstOrDefault();
            var isPartial = context.TargetNode is ClassDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword);
            if (!type.IsStatic || !isPartial || type.ContainingType is not null || type.IsGenericType)
            {
                var diagnostic = DiagnosticInfo.Create(Diagnostics.InvalidCatalog, location, type.Name);
                return new CatalogResult(null, LocationInfo.From(location), new[] { diagnostic }.ToEquatableArray());
            }
            var ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
            var entry = new CatalogEntry(ns, type.Name, type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
            return new CatalogResult(entry, LocationInfo.From(location), EquatableArray<DiagnosticInfo>.Empty);
        }
    }
}

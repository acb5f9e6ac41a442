using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SeqRec.Generators
{
    /// <summary>Reads a [ConfigSection] symbol once into a <see cref="SectionModel"/> and its diagnostics.</summary>
    internal static class SectionParser
    {
        public const string ParamAttribute = "SeqRec.ParamAttribute";

        public static SectionResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var type = (INamedTypeSymbol)context.TargetSymbol;
            var location = type.Locations.FirstOrDefault();
            var diagnostics = new List<DiagnosticInfo>();
            var sectionName = context.Attributes[0].ConstructorArguments.FirstOrDefault().Value as string ?? "";

            if (!Naming.IsSnakeCase(sectionName))
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InvalidSectionName, location, sectionName));
            if (!type.IsRecord)
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.SectionNotRecord, location, type.Name));
            if (type.ContainingType is not null)
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.SectionNested, location, type.Name));
            var isPartial = type.DeclaringSyntaxReferences
                .Select(r => r.GetSyntax(cancellationToken))
                .OfType<TypeDeclarationSyntax>()
                .Any(d => d.Modifiers.Any(m => m.ValueText == "partial"));
            if (!isPartial)
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.SectionNotPartial, location, type.Name));

            var parameters = new List<ParamModel>();
            var keys = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var attribute = property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == ParamAttribute);
                if (attribute is null) continue;
                var parameter = ParseParameter(property, attribute, context.SemanticModel, diagnostics, cancellationToken);
                if (parameter is null) continue;

                foreach (var key in new[] { parameter.Key, parameter.Alias })
                {
                    if (key is null) continue;
                    if (keys.TryGetValue(key, out var owner))
                        diagnostics.Add(DiagnosticInfo.Create(Diagnostics.DuplicateKey, property.Locations.FirstOrDefault(), key, property.Name, owner, sectionName));
                    else
                        keys[key] = property.Name;
                }
                parameters.Add(parameter);
            }

            var hasErrors = diagnostics.Count > 0;
            var model = hasErrors
                ? null
                : new SectionModel(
                    type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
                    type.Name,
                    type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                    sectionName,
                    parameters.ToEquatableArray());
            return new SectionResult(model, LocationInfo.From(location), diagnostics.ToEquatableArray());
        }

        private static ParamModel? ParseParameter(IPropertySymbol property, AttributeData attribute, SemanticModel semanticModel,
            List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            var location = property.Locations.FirstOrDefault();
            double? min = null, max = null;
            string? alias = null;
            var help = "";
            foreach (var named in attribute.NamedArguments)
            {
                switch (named.Key)
                {
                    case "Min" when named.Value.Value is double d && !double.IsNaN(d): min = d; break;
                    case "Max" when named.Value.Value is double d && !double.IsNaN(d): max = d; break;
                    case "Alias": alias = named.Value.Value as string; break;
                    case "Help": help = named.Value.Value as string ?? ""; break;
                }
            }

            if (property.SetMethod is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NotSettable, location, property.Name));
                return null;
            }

            var (kind, nullable, underlying) = Classify(property.Type);
            if (kind is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.UnsupportedParameterType, location, property.Name, property.Type.ToDisplayString()));
                return null;
            }

            var numeric = kind is ParamKind.Int32 or ParamKind.Int64 or ParamKind.Double or ParamKind.Single;
            if ((min.HasValue || max.HasValue) && !numeric)
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.BoundsOnNonNumber, location, property.Name, property.Type.ToDisplayString()));
            if (min.HasValue && max.HasValue && min > max)
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.MinAboveMax, location, property.Name, Format(min.Value), Format(max.Value)));
            if (numeric && (min.HasValue || max.HasValue) && !(min > max))
            {
                var defaultValue = ReadDefault(property, semanticModel, nullable, cancellationToken);
                if (defaultValue is { } value && ((min.HasValue && value < min) || (max.HasValue && value > max)))
                    diagnostics.Add(DiagnosticInfo.Create(Diagnostics.DefaultOutOfBounds, location, property.Name, Format(value),
                        min.HasValue ? Format(min.Value) : "-inf", max.HasValue ? Format(max.Value) : "inf"));
            }

            var enumMembers = kind == ParamKind.Enum
                ? underlying.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).Select(f => f.Name).ToArray()
                : Array.Empty<string>();
            var underlyingName = underlying.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            return new ParamModel(
                property.Name,
                Naming.SnakeCase(property.Name),
                alias,
                kind.Value,
                nullable,
                underlyingName,
                DisplayName(kind.Value, underlying) + (nullable ? "?" : ""),
                enumMembers.Select(Naming.EnumSpelling).ToEquatableArray(),
                enumMembers.Select(m => underlyingName + "." + m).ToEquatableArray(),
                min,
                max,
                help);
        }

        private static (ParamKind? Kind, bool Nullable, ITypeSymbol Underlying) Classify(ITypeSymbol type)
        {
            var nullable = false;
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } wrapper)
            {
                nullable = true;
                type = wrapper.TypeArguments[0];
            }
            else if (type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.Annotated)
            {
                nullable = true;
            }

            ParamKind? kind = type.SpecialType switch
            {
                SpecialType.System_Int32 => ParamKind.Int32,
                SpecialType.System_Int64 => ParamKind.Int64,
                SpecialType.System_Double => ParamKind.Double,
                SpecialType.System_Single => ParamKind.Single,
                SpecialType.System_Boolean => ParamKind.Boolean,
                SpecialType.System_String => ParamKind.String,
                _ => null,
            };
            if (kind is null && type.TypeKind == TypeKind.Enum) kind = ParamKind.Enum;
            if (kind is null && type is IArrayTypeSymbol { Rank: 1 } array)
            {
                kind = array.ElementType.SpecialType switch
                {
                    SpecialType.System_Int32 => ParamKind.Int32Array,
                    SpecialType.System_Int64 => ParamKind.Int64Array,
                    SpecialType.System_Double => ParamKind.DoubleArray,
                    SpecialType.System_String => ParamKind.StringArray,
                    _ => null,
                };
            }
            // Nullable arrays and strings would make "absent" and "empty" two states users cannot tell apart.
            if (nullable && kind is ParamKind.String or ParamKind.Enum or ParamKind.Int32Array or ParamKind.Int64Array or ParamKind.DoubleArray or ParamKind.StringArray)
                kind = null;
            return (kind, nullable, type);
        }

        private static string DisplayName(ParamKind kind, ITypeSymbol type) => kind switch
        {
            ParamKind.Int32 => "int",
            ParamKind.Int64 => "long",
            ParamKind.Double => "double",
            ParamKind.Single => "float",
            ParamKind.Boolean => "bool",
            ParamKind.String => "string",
            ParamKind.Enum => "enum",
            ParamKind.Int32Array => "int[]",
            ParamKind.Int64Array => "long[]",
            ParamKind.DoubleArray => "double[]",
            ParamKind.StringArray => "string[]",
            _ => type.Name,
        };

        /// <summary>The property initializer's constant value, or the type's default (0) when there is none.</summary>
        private static double? ReadDefault(IPropertySymbol property, SemanticModel semanticModel, bool nullable, CancellationToken cancellationToken)
        {
            foreach (var reference in property.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is not PropertyDeclarationSyntax declaration) continue;
                if (declaration.Initializer is null) return nullable ? null : 0.0;
                if (declaration.SyntaxTree != semanticModel.SyntaxTree) return null;
                var constant = semanticModel.GetConstantValue(declaration.Initializer.Value, cancellationToken);
                if (!constant.HasValue || constant.Value is null) return null;
                try
                {
                    return Convert.ToDouble(constant.Value, System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (InvalidCastException)
                {
                    return null;
                }
            }
            return null;
        }

        internal static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
    }
}

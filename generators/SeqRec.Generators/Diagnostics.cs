using System.Linq;
using Microsoft.CodeAnalysis;

namespace SeqRec.Generators
{
    /// <summary>Every SQR diagnostic; each is documented in docs/diagnostics.md.</summary>
    internal static class Diagnostics
    {
        private const string Category = "SeqRec.Config";
        private const string HelpBase = "https://github.com/seqrec/seqrec/blob/main/docs/diagnostics.md#";

        private static DiagnosticDescriptor Error(string id, string title, string message) =>
            new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());

        // 1xxx: configuration sections
        public static readonly DiagnosticDescriptor SectionNotPartial = Error("SQR1001",
            "Configuration section must be a partial record",
            "'{0}' has [ConfigSection] but is not declared partial; the generator adds its binder in a partial declaration");
        public static readonly DiagnosticDescriptor SectionNotRecord = Error("SQR1002",
            "Configuration section must be a record",
            "'{0}' has [ConfigSection] but is not a record; binding uses 'with' expressions on init-only properties");
        public static readonly DiagnosticDescriptor SectionNested = Error("SQR1003",
            "Configuration section must be a top-level type",
            "'{0}' has [ConfigSection] but is nested in another type; declare it at namespace level");
        public static readonly DiagnosticDescriptor DuplicateSection = Error("SQR1004",
            "Duplicate configuration section name",
            "Section name '{0}' is used by both '{1}' and '{2}'");
        public static readonly DiagnosticDescriptor InvalidSectionName = Error("SQR1005",
            "Invalid configuration section name",
            "Section name '{0}' must be non-empty snake_case (lower-case letters, digits and underscores)");

        // 2xxx: parameters
        public static readonly DiagnosticDescriptor UnsupportedParameterType = Error("SQR2001",
            "Unsupported parameter type",
            "Parameter '{0}' has type '{1}', which the config binder does not support (use int, long, double, float, bool, string, an enum, an array of int, long, double or string, or a nullable number or bool)");
        public static readonly DiagnosticDescriptor DuplicateKey = Error("SQR2002",
            "Duplicate parameter key",
            "Key '{0}' of parameter '{1}' is already used by '{2}' in section '{3}'");
        public static readonly DiagnosticDescriptor BoundsOnNonNumber = Error("SQR2003",
            "Bounds on a non-numeric parameter",
            "Parameter '{0}' of type '{1}' sets Min or Max, which only apply to numbers");
        public static readonly DiagnosticDescriptor DefaultOutOfBounds = Error("SQR2004",
            "Default value outside its bounds",
            "The default {1} of parameter '{0}' is outside its bounds [{2}, {3}]");
        public static readonly DiagnosticDescriptor MinAboveMax = Error("SQR2005",
            "Minimum above maximum",
            "Parameter '{0}' has Min {1} greater than Max {2}");
        public static readonly DiagnosticDescriptor NotSettable = Error("SQR2006",
            "Parameter is not settable",
            "Parameter '{0}' needs an init or set accessor so the binder can assign it");

        // 3xxx: models
        public static readonly DiagnosticDescriptor DuplicateModelId = Error("SQR3001",
            "Duplicate model id",
            "Model id '{0}' is used by both '{1}' and '{2}'");
        public static readonly DiagnosticDescriptor ModelWithoutConfig = Error("SQR3002",
            "Model without a configuration section",
            "Model '{0}' needs a public constructor whose first parameter is a [ConfigSection] record");
        public static readonly DiagnosticDescriptor ModelWithoutConstructor = Error("SQR3003",
            "Model constructor does not take (config, ModelContext)",
            "Model '{0}' needs a public constructor '({1} config, SeqRec.Modeling.ModelContext context)'");
        public static readonly DiagnosticDescriptor InvalidModel = Error("SQR3004",
            "Model must be a concrete class",
            "'{0}' has [Model] but is abstract, generic or not a class");
        public static readonly DiagnosticDescriptor ModelNotRecommender = Error("SQR3005",
            "Model does not derive from SequentialRecommender",
            "Model '{0}' must derive from SeqRec.Modeling.SequentialRecommender (usually through ItemEmbeddingRecommender)");
        public static readonly DiagnosticDescriptor DuplicateCatalog = Error("SQR3006",
            "More than one model catalog",
            "'{0}' is a second [ModelCatalog] in this assembly, after '{1}'; keep one");
        public static readonly DiagnosticDescriptor InvalidCatalog = Error("SQR3007",
            "Model catalog must be a static partial class",
            "'{0}' has [ModelCatalog] but is not a top-level, non-generic static partial class");

        private static readonly DiagnosticDescriptor[] All =
        {
            SectionNotPartial, SectionNotRecord, SectionNested, DuplicateSection, InvalidSectionName,
            UnsupportedParameterType, DuplicateKey, BoundsOnNonNumber, DefaultOutOfBounds, MinAboveMax, NotSettable,
            DuplicateModelId, ModelWithoutConfig, ModelWithoutConstructor, InvalidModel, ModelNotRecommender, DuplicateCatalog, InvalidCatalog,
        };

        public static DiagnosticDescriptor ById(string id) => All.First(d => d.Id == id);
    }
}

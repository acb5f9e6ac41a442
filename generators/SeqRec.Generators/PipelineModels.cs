namespace SeqRec.Generators
{
    internal enum ParamKind { Int32, Int64, Double, Single, Boolean, String, Enum, Int32Array, Int64Array, DoubleArray, StringArray }

    /// <summary>One [Param] property, as plain data.</summary>
    internal sealed record ParamModel(
        string PropertyName,
        string Key,
        string? Alias,
        ParamKind Kind,
        bool IsNullable,
        string TypeName,
        string DisplayTypeName,
        EquatableArray<string> EnumSpellings,
        EquatableArray<string> EnumMembers,
        double? Min,
        double? Max,
        string Help);

    /// <summary>One [ConfigSection] record, as plain data: everything the emitter needs and nothing from Roslyn.</summary>
    internal sealed record SectionModel(
        string? Namespace,
        string TypeName,
        string FullyQualifiedName,
        string SectionName,
        EquatableArray<ParamModel> Parameters);

    internal sealed record SectionResult(SectionModel? Section, LocationInfo? Location, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>One [Model] class, as plain data.</summary>
    internal sealed record ModelEntry(
        string Id,
        string DisplayName,
        string Paper,
        string Remarks,
        string FullyQualifiedName,
        string ConfigFullyQualifiedName);

    internal sealed record ModelResult(ModelEntry? Model, LocationInfo? Location, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>The author's [ModelCatalog] class, as plain data.</summary>
    internal sealed record CatalogEntry(string? Namespace, string TypeName, string FullyQualifiedName);

    internal sealed record CatalogResult(CatalogEntry? Catalog, LocationInfo? Location, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>Everything the catalog emitter needs: the models, the declared catalog (if any) and the assembly name.</summary>
    internal sealed record CatalogSpec(EquatableArray<ModelEntry> Models, CatalogEntry? Catalog, string AssemblyName);
}

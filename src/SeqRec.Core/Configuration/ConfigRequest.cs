namespace SeqRec.Configuration;

/// <summary>
/// What to resolve, as layers (later wins): generated defaults &lt; <see cref="Files"/> in order &lt;
/// <see cref="Values"/> (the in-code dictionary of the API) &lt; <see cref="Sets"/> (<c>--set</c>) &lt; the
/// <see cref="Model"/> and <see cref="Dataset"/> shortcuts.
/// </summary>
public sealed record ConfigRequest
{
    /// <summary>Model id (<c>--model</c>); otherwise a top-level <c>model = "..."</c> key in the layers.</summary>
    public string? Model { get; init; }

    /// <summary>Shortcut for <c>data.dataset</c> (<c>--dataset</c>).</summary>
    public string? Dataset { get; init; }

    /// <summary>Shortcut for <c>data.data_path</c> (<c>--data-path</c>).</summary>
    public string? DataPath { get; init; }

    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>TOML texts layered right after <see cref="Files"/> (e.g. the config stored in a checkpoint).</summary>
    public IReadOnlyList<ConfigText> Texts { get; init; } = [];

    public IReadOnlyDictionary<string, object?>? Values { get; init; }

    public IReadOnlyList<string> Sets { get; init; } = [];
}

/// <summary>A TOML document held in memory; <paramref name="Origin"/> names it in error messages.</summary>
public sealed record ConfigText(string Origin, string Toml);

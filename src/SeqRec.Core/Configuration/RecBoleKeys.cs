using System.Globalization;

namespace SeqRec.Configuration;

/// <summary>Whether a layer asked for negative sampling in training (RecBole's <c>train_neg_sample_args</c>), and where.</summary>
public sealed record NegativeSamplingSetting(bool Enabled, ConfigSource Source);

/// <summary>
/// RecBole's own top-level config keys that are not SeqRec parameters, translated in every layer (TOML or YAML) before
/// flat keys move into their sections, so a RecBole config file works as it is:
/// <list type="bullet">
/// <item>its upper-case field keys (<c>USER_ID_FIELD</c>, <c>MAX_ITEM_LIST_LENGTH</c>, ...) name our lower-case parameters;</item>
/// <item>its nested settings (<c>eval_args</c>, <c>val_interval</c> as a mapping, <c>clip_grad_norm</c> as a mapping,
///   <c>normalize_all</c>) become the parameters that do the same here;</item>
/// <item>settings of RecBole's environment (devices, logging, saved files, internal column names) are ignored with a warning;</item>
/// <item>settings with one supported value (<c>learner: adam</c>, <c>eval_args.order: TO</c>, ...) are accepted at
///   that value and are an error naming the key otherwise, never silently different.</item>
/// </list>
/// A partial <c>eval_args</c> changes only what it names (RecBole replaces the whole default).
/// </summary>
internal static class RecBoleKeys
{
    /// <summary>RecBole keys that change nothing here, each with why (reported as a warning naming its line).</summary>
    private static readonly Dictionary<string, string> Ignored = Group(
            "RecBole's environment setting; it has no effect in SeqRec (ignored)",
            "gpu_id", "use_gpu", "device", "state", "reproducibility", "checkpoint_dir", "save_dataset",
            "dataset_save_path", "save_dataloaders", "dataloaders_save_path", "log_wandb", "wandb_project", "worker", "nproc",
            "world_size", "offset", "ip", "port", "enable_amp", "enable_scaler", "single_spec", "local_rank", "loss_decimal_place")
        .Concat(Group("SeqRec reads only the user, item and time columns it needs (ignored)",
            "load_col", "unused_col", "additional_feat_suffix", "numerical_features", "preload_weight", "alias_of_user_id",
            "alias_of_item_id", "alias_of_entity_id", "alias_of_relation_id"))
        .Concat(Group("names a field of RecBole's internal data layout, which SeqRec does not have (ignored)",
            "ITEM_LIST_LENGTH_FIELD", "LIST_SUFFIX", "NEG_PREFIX", "POSITION_FIELD", "RATING_FIELD", "LABEL_FIELD",
            "MODEL_TYPE", "MODEL_INPUT_TYPE", "eval_type"))
        .Concat(Group("applies to kinds of models SeqRec does not have (ignored)",
            "HEAD_ENTITY_ID_FIELD", "TAIL_ENTITY_ID_FIELD", "RELATION_ID_FIELD", "ENTITY_ID_FIELD", "require_pow"))
        .Concat(Group("RecBole turns it on for every sequential model itself (ignored)", "repeatable"))
        .ToDictionary(StringComparer.Ordinal);

    private static Dictionary<string, string> Group(string why, params string[] keys) => keys.ToDictionary(k => k, _ => why);

    /// <summary>Keys whose only supported value is SeqRec's fixed behaviour, with why.</summary>
    private static readonly Dictionary<string, (object Value, string Why)> Fixed = new(StringComparer.Ordinal)
    {
        ["learner"] = ("adam", "SeqRec trains with Adam"),
        ["valid_metric_bigger"] = (true, "the best epoch is picked by an accuracy metric, where larger is better"),
        ["metric_decimal_place"] = (4L, "metrics are rounded to 4 decimals"),
        ["shuffle"] = (true, "training batches are always shuffled"),
        ["filter_inter_by_user_or_item"] = (true, "interactions are kept as the .inter file gives them"),
    };

    /// <returns>The layer's negative-sampling setting, or null when it does not mention one.</returns>
    public static NegativeSamplingSetting? Translate(ConfigTable layer, IReadOnlyList<ConfigSectionInfo> sections, ConfigErrors errors)
    {
        NegativeSamplingSetting? sampling = null;
        foreach (var (key, node) in layer.Items.ToList())
        {
            if (key == ConfigResolver.ModelKey || sections.Any(s => s.Name == key)) continue;
            if (Ignored.TryGetValue(key, out var why))
            {
                layer.Remove(key);
                errors.Warning(key, why, node.Source);
            }
            else if (Fixed.TryGetValue(key, out var only))
            {
                layer.Remove(key);
                if (!SameValue(node, only.Value))
                    errors.Error(key, $"only {Format(only.Value)} is supported: {only.Why}; got {node.Describe()}", node.Source);
            }
            else if (Unsupported.TryGetValue(key, out var instead))
            {
                layer.Remove(key);
                errors.Error(key, instead, node.Source);
            }
            else if (key == "train_neg_sample_args")
            {
                layer.Remove(key);
                sampling = NegativeSampling(node, errors) ?? sampling;
            }
            else if (Translators.TryGetValue(key, out var translate))
            {
                layer.Remove(key);
                translate(layer, node, errors);
            }
            else if (ParameterKey(key) is var lower && lower != key && sections.Any(s => s.Parameters.Any(p => p.Key == lower)))
            {
                layer.Remove(key);
                if (layer[lower] is { } both) errors.Error(lower, $"set twice, as {key} (line {node.Source.Line}) and as {lower}", both.Source);
                else layer.Set(lower, node);
            }
        }
        return sampling;
    }

    /// <summary>RecBole writes its field keys in upper case (<c>MAX_ITEM_LIST_LENGTH</c>); SeqRec's parameters are lower case.</summary>
    public static string ParameterKey(string recBoleKey) => recBoleKey.ToLowerInvariant();

    /// <summary>RecBole settings that become SeqRec parameters in the layer.</summary>
    private static readonly Dictionary<string, Action<ConfigTable, ConfigNode, ConfigErrors>> Translators = new(StringComparer.Ordinal)
    {
        ["eval_args"] = EvalArgs,
        ["val_interval"] = ValueIntervals,
        ["clip_grad_norm"] = ClipGradNorm,
        ["normalize_all"] = NormalizeAll,
    };

    /// <summary>RecBole settings with no SeqRec counterpart, with what to do instead.</summary>
    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["normalize_field"] = "not supported: data.time_order chooses how timestamps are compared (normalized_float32 as RecBole's normalize_all, float32, exact)",
        ["benchmark_filename"] = "pre-split benchmark files are not supported: SeqRec splits one .inter file leave-one-out",
    };

    /// <summary><c>eval_args: {split: {LS: valid_and_test}, order: TO, group_by: user, mode: full}</c>, any part of it.</summary>
    private static void EvalArgs(ConfigTable layer, ConfigNode node, ConfigErrors errors)
    {
        if (node is not ConfigTable args)
        {
            errors.Error("eval_args", $"expected a mapping such as {{split: {{LS: valid_and_test}}, order: TO, mode: full}}, got {node.Describe()}", node.Source);
            return;
        }
        foreach (var (key, value) in args.Items)
        {
            var path = $"eval_args.{key}";
            switch (key)
            {
                case "split" when value is ConfigTable { Count: 1 } split && split.Items.Single() is ("LS", var mode):
                    Put(layer, DataConfig.SectionName, "split", mode, path, errors);
                    break;
                case "split":
                    errors.Error(path, $"only the leave-one-out split is supported, {{LS: valid_and_test}} (or valid_only, test_only); got {Describe(value)}", value.Source);
                    break;
                case "order":
                    Expect(value, "TO", path, "sequential samples are ordered by time", errors);
                    break;
                case "group_by":
                    Expect(value, "user", path, "samples are grouped by user", errors);
                    break;
                case "mode" when value is ConfigTable phases:
                    var modes = phases.Items.Select(p => (p.Value as ConfigScalar)?.Value as string).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                    if (modes.Count == 1 && modes[0] is { } shared)
                        Put(layer, EvalConfig.SectionName, "mode", new ConfigScalar(shared, value.Source), path, errors);
                    else
                        errors.Error(path, $"validation and test are evaluated with one mode here; got {Describe(value)}", value.Source);
                    break;
                case "mode":
                    Put(layer, EvalConfig.SectionName, "mode", value, path, errors);
                    break;
                default:
                    errors.Error(path, "unknown eval_args key (known: split, order, group_by, mode)", value.Source);
                    break;
            }
        }
    }

    /// <summary>None, or RecBole's one uniform negative per sample: the only sampling SeqRec's BPR does.</summary>
    private static NegativeSamplingSetting? NegativeSampling(ConfigNode node, ConfigErrors errors)
    {
        if (node is ConfigScalar { Value: string text } && text.Equals("None", StringComparison.OrdinalIgnoreCase))
            return new NegativeSamplingSetting(false, node.Source);
        var supported = node is ConfigTable args && args.Items.All(item => item switch
        {
            ("distribution", ConfigScalar { Value: string d }) => d.Equals("uniform", StringComparison.OrdinalIgnoreCase),
            ("sample_num", ConfigScalar { Value: long n }) => n == 1,
            ("dynamic", ConfigScalar { Value: bool dynamic }) => !dynamic,
            ("alpha", ConfigScalar) or ("candidate_num", ConfigScalar) => true,
            _ => false,
        });
        if (!supported)
        {
            errors.Error("train_neg_sample_args", $"only {{distribution: uniform, sample_num: 1}} (with loss_type BPR) or None (with CE) is supported; got {Describe(node)}", node.Source);
            return null;
        }
        return new NegativeSamplingSetting(true, node.Source);
    }

    /// <summary><c>val_interval: {rating: "[3,inf)"}</c> → <c>data.val_interval = ["rating:[3,inf)"]</c>; the list form passes as it is.</summary>
    private static void ValueIntervals(ConfigTable layer, ConfigNode node, ConfigErrors errors)
    {
        if (node is not ConfigTable fields)
        {
            layer.Set("val_interval", node);
            return;
        }
        var entries = fields.Items.Select(f => (ConfigNode)new ConfigScalar($"{f.Key}:{(f.Value as ConfigScalar)?.Value}", f.Value.Source)).ToList();
        Put(layer, DataConfig.SectionName, "val_interval", new ConfigArray(entries, node.Source), "val_interval", errors);
    }

    /// <summary><c>clip_grad_norm: {max_norm: 5, norm_type: 2}</c> → 5; a plain number passes as it is.</summary>
    private static void ClipGradNorm(ConfigTable layer, ConfigNode node, ConfigErrors errors)
    {
        if (node is not ConfigTable args)
        {
            layer.Set("clip_grad_norm", node);
            return;
        }
        if (args["norm_type"] is ConfigScalar { Value: var type } && Convert.ToDouble(type, CultureInfo.InvariantCulture) is not 2.0)
            errors.Error("clip_grad_norm.norm_type", $"only the 2-norm is supported; got {args["norm_type"]!.Describe()}", args["norm_type"]!.Source);
        if (args["max_norm"] is { } maxNorm) Put(layer, TrainerConfig.SectionName, "clip_grad_norm", maxNorm, "clip_grad_norm.max_norm", errors);
        else errors.Error("clip_grad_norm", "expected max_norm (and optionally norm_type: 2)", node.Source);
    }

    private static void NormalizeAll(ConfigTable layer, ConfigNode node, ConfigErrors errors)
    {
        if (node is not ConfigScalar { Value: bool normalize })
        {
            errors.Error("normalize_all", $"expected true or false, got {node.Describe()}", node.Source);
            return;
        }
        var order = normalize ? "normalized_float32" : "float32";
        Put(layer, DataConfig.SectionName, "time_order", new ConfigScalar(order, node.Source), "normalize_all", errors);
    }

    private static void Expect(ConfigNode value, string only, string path, string why, ConfigErrors errors)
    {
        if (!SameValue(value, only)) errors.Error(path, $"only {only} is supported: {why}; got {Describe(value)}", value.Source);
    }

    /// <summary>Sets <paramref name="section"/>.<paramref name="key"/> in the layer unless the layer sets it itself too.</summary>
    private static void Put(ConfigTable layer, string section, string key, ConfigNode value, string writtenAs, ConfigErrors errors)
    {
        var table = layer.GetOrAddTable(section, value.Source);
        if (table[key] is { } explicitValue)
            errors.Error(writtenAs, $"set twice, here and as {section}.{key} (line {explicitValue.Source.Line})", value.Source);
        else
            table.Set(key, value);
    }

    private static bool SameValue(ConfigNode node, object expected) => node is ConfigScalar { Value: var value } && (value, expected) switch
    {
        (string a, string b) => a.Equals(b, StringComparison.OrdinalIgnoreCase),
        (long a, long b) => a == b,
        (bool a, bool b) => a == b,
        _ => false,
    };

    private static string Format(object value) => value switch
    {
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    /// <summary>A node as the user wrote it, for messages: <c>{RS: [0.8, 0.1, 0.1]}</c>.</summary>
    private static string Describe(ConfigNode node) => node switch
    {
        ConfigScalar { Value: string s } => s,
        ConfigScalar { Value: bool b } => b ? "true" : "false",
        ConfigScalar { Value: double d } => d.ToString("R", CultureInfo.InvariantCulture),
        ConfigScalar { Value: var v } => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "?",
        ConfigArray array => $"[{string.Join(", ", array.Items.Select(Describe))}]",
        ConfigTable table => $"{{{string.Join(", ", table.Items.Select(i => $"{i.Key}: {Describe(i.Value)}"))}}}",
        _ => node.Describe(),
    };
}

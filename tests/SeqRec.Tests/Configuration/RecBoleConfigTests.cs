using SeqRec.Configuration;
using SeqRec.Models;
using Xunit;
using static SeqRec.Tests.Configuration.ConfigAssert;

namespace SeqRec.Tests.Configuration;

/// <summary>A RecBole user's YAML config works as it is: its keys, its YAML typing, and clear errors where SeqRec differs.</summary>
public class RecBoleConfigTests
{
    private const string RecBoleSequentialYaml = """
        # as written for RecBole's run_recbole.py
        gpu_id: '0'
        use_gpu: False
        seed: 2021
        state: INFO
        reproducibility: True
        USER_ID_FIELD: user_id
        ITEM_ID_FIELD: item_id
        TIME_FIELD: timestamp
        load_col:
            inter: [user_id, item_id, timestamp]
        MAX_ITEM_LIST_LENGTH: 200
        val_interval:
            rating: "[3,inf)"
        train_neg_sample_args: ~
        epochs: 50
        train_batch_size: 1024
        learner: adam
        learning_rate: 3e-3
        clip_grad_norm: {'max_norm': 5.0, 'norm_type': 2}
        eval_args:
            split: {'LS': 'valid_only'}
            order: TO
            mode: uni100
        metrics: ["Recall", "MRR", "NDCG", "Hit", "Precision"]
        topk: 10
        valid_metric: NDCG@10
        valid_metric_bigger: yes
        n_layers: 3
        k_interests: 20
        hidden_dropout_prob: 0.2
        hidden_act: gelu
        loss_type: CE
        """;

    [Fact]
    public void A_recbole_sequential_yaml_config_resolves_to_the_same_settings()
    {
        using var dir = new TempFolder();
        var file = dir.File("lightsans.yaml", RecBoleSequentialYaml);

        var config = Resolve(new ConfigRequest { Model = "lightsans", Files = [file] });

        Assert.Equal(2021, config.Trainer.Seed);
        Assert.Equal(200, config.Data.MaxItemListLength);
        Assert.Equal(["rating:[3,inf)"], config.Data.ValInterval);
        Assert.Equal(SplitMode.ValidOnly, config.Data.Split);
        Assert.Equal(50, config.Trainer.Epochs);
        Assert.Equal(1024, config.Trainer.TrainBatchSize);
        Assert.Equal(0.003, config.Trainer.LearningRate);   // 3e-3 is a float for RecBole's loader, a string in plain YAML 1.1
        Assert.Equal(5.0, config.Trainer.ClipGradNorm);
        Assert.Equal("uni100", config.Eval.Mode);
        Assert.Equal([10], config.Eval.Topk);
        Assert.Equal("NDCG@10", config.Eval.ValidMetric);
        var lightsans = config.ModelSection<LightSansConfig>();
        Assert.Equal(3, lightsans.NumLayers);
        Assert.Equal(20, lightsans.KInterests);
        Assert.Equal(0.2, lightsans.HiddenDropoutProb);
        // RecBole's environment settings are named, with their lines, and ignored.
        var warnings = config.Warnings.Select(w => w.ToString()).ToList();
        Assert.Contains($"warning: {file}:2: gpu_id: RecBole's environment setting; it has no effect in SeqRec (ignored)", warnings);
        Assert.Contains(warnings, w => w.StartsWith($"warning: {file}:10: load_col:", StringComparison.Ordinal));
        Assert.Equal(["gpu_id", "load_col", "reproducibility", "state", "use_gpu"], config.Warnings.Select(w => w.Path).Order());
    }

    [Fact]
    public void Recboles_own_ml_100k_dataset_yaml_resolves()
    {
        using var dir = new TempFolder();
        var file = dir.File("ml-100k.yaml", """
            field_separator: "\t"
            seq_separator: " "
            USER_ID_FIELD: user_id
            ITEM_ID_FIELD: item_id
            RATING_FIELD: rating
            TIME_FIELD: timestamp
            seq_len: ~
            LABEL_FIELD: label
            threshold: ~
            NEG_PREFIX: neg_
            ITEM_LIST_LENGTH_FIELD: item_length
            LIST_SUFFIX: _list
            MAX_ITEM_LIST_LENGTH: 50
            POSITION_FIELD: position_id
            HEAD_ENTITY_ID_FIELD: head_id
            load_col:
                inter: [user_id, item_id, rating, timestamp]
                user: [user_id, age, gender, occupation]
                item: [item_id, movie_title, release_year, class]
            unload_col: ~
            rm_dup_inter: ~
            val_interval: ~
            filter_inter_by_user_or_item: True
            user_inter_num_interval: "[0,inf)"
            item_inter_num_interval: "[0,inf)"
            alias_of_user_id: ~
            normalize_field: ~
            normalize_all: True
            repeatable: False
            """);

        var config = Resolve(new ConfigRequest { Model = "sasrec", Files = [file] });

        Assert.Equal('\t', config.Data.FieldSeparatorChar);
        Assert.Equal(50, config.Data.MaxItemListLength);
        Assert.Equal("[0,inf)", config.Data.UserInterNumInterval);
        Assert.Equal(TimeOrder.NormalizedFloat32, config.Data.TimeOrder);
        Assert.All(config.Warnings, w => Assert.EndsWith("(ignored)", w.Message, StringComparison.Ordinal));
        Assert.Equal(["HEAD_ENTITY_ID_FIELD", "ITEM_LIST_LENGTH_FIELD", "LABEL_FIELD", "LIST_SUFFIX", "NEG_PREFIX", "POSITION_FIELD", "RATING_FIELD", "load_col", "repeatable"],
            config.Warnings.Select(w => w.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void What_seqrec_does_differently_is_an_error_naming_file_line_and_key()
    {
        using var dir = new TempFolder();
        var file = dir.File("recbole.yml", """
            eval_args:
              split: {'RS': [0.8, 0.1, 0.1]}
              order: RO
              mode: {valid: full, test: uni100}
            learner: sgd
            train_neg_sample_args: {distribution: popularity, sample_num: 1}
            normalize_field: [timestamp]
            """);

        var errors = Fails(new ConfigRequest { Model = "sasrec", Files = [file] });

        Assert.Contains($"{file}:2: eval_args.split: only the leave-one-out split is supported, {{LS: valid_and_test}} (or valid_only, test_only); got {{RS: [0.8, 0.1, 0.1]}}", errors);
        Assert.Contains($"{file}:3: eval_args.order: only TO is supported: sequential samples are ordered by time; got RO", errors);
        Assert.Contains($"{file}:4: eval_args.mode: validation and test are evaluated with one mode here; got {{valid: full, test: uni100}}", errors);
        Assert.Contains($"{file}:5: learner: only adam is supported: SeqRec trains with Adam; got the string \"sgd\"", errors);
        Assert.Contains(errors, e => e.StartsWith($"{file}:6: train_neg_sample_args: only {{distribution: uniform, sample_num: 1}}", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"{file}:7: normalize_field: not supported: data.time_order chooses", StringComparison.Ordinal));
        Assert.Equal(6, errors.Count);
    }

    [Theory]
    [InlineData("loss_type: CE\ntrain_neg_sample_args: {distribution: uniform, sample_num: 1}\n", "negative sampling is set but loss_type is CE")]
    [InlineData("loss_type: BPR\ntrain_neg_sample_args: None\n", "None, but loss_type BPR needs one negative per sample")]
    public void Negative_sampling_must_agree_with_the_loss(string yaml, string expected)
    {
        using var dir = new TempFolder();
        var file = dir.File("neg.yaml", yaml);

        var error = Assert.Single(Fails(new ConfigRequest { Model = "lightsans", Files = [file] }));

        Assert.StartsWith($"{file}:2: train_neg_sample_args: {expected}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bpr_with_recboles_uniform_sampling_resolves()
    {
        using var dir = new TempFolder();
        var file = dir.File("bpr.yaml", "loss_type: BPR\ntrain_neg_sample_args:\n  distribution: uniform\n  sample_num: 1\n  alpha: 1.0\n  dynamic: False\n");

        var config = Resolve(new ConfigRequest { Model = "sasrec", Files = [file] });

        Assert.Equal(SeqRec.Modeling.LossType.BPR, config.ModelSection<SasRecConfig>().LossType);
    }

    [Fact]
    public void Warnings_come_in_the_order_of_the_file_and_show_progress_is_honoured()
    {
        using var dir = new TempFolder();
        var file = dir.File("env.yaml", "use_gpu: False\nstate: INFO\nshow_progress: False\ngpu_id: '0'\nreproducibility: True\n");

        var config = Resolve(new ConfigRequest { Model = "sasrec", Files = [file] });

        Assert.Equal(["use_gpu", "state", "gpu_id", "reproducibility"], config.Warnings.Select(w => w.Path));
        Assert.False(config.Trainer.ShowProgress);
    }

    [Fact]
    public void The_resolved_data_path_is_the_folder_read()
    {
        var byDefault = Resolve(new ConfigRequest { Model = "sasrec" });
        Assert.Equal(SeqRec.Data.DatasetLocation.DataFolder(new DataConfig()), byDefault.Data.DataPath);
        // Given explicitly, it wins over SEQREC_DATA_PATH, which only replaces the default.
        var given = Resolve(new ConfigRequest { Model = "sasrec", DataPath = "/data/here" });
        Assert.Equal("/data/here", given.Data.DataPath);
        Assert.Equal("/data/here", SeqRec.Data.DatasetLocation.DataFolder(given.Data));
    }

    [Fact]
    public void Every_recbole_top_k_metric_and_tail_ratio_resolve()
    {
        using var dir = new TempFolder();
        var file = dir.File("metrics.yaml", "metrics: [Recall, MRR, NDCG, Hit, Precision, MAP, ItemCoverage, AveragePopularity, GiniIndex, ShannonEntropy, TailPercentage]\ntopk: [10, 20]\ntail_ratio: 0.2\n");

        var config = Resolve(new ConfigRequest { Model = "sasrec", Files = [file] });

        Assert.Equal(11, config.Eval.Metrics.Length);
        Assert.Equal(0.2, config.Eval.TailRatio);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void Recbole_keys_work_in_toml_files_too_and_a_partial_eval_args_keeps_the_other_defaults()
    {
        using var dir = new TempFolder();
        var file = dir.File("flat.toml", "MAX_ITEM_LIST_LENGTH = 100\nnormalize_all = false\n[eval_args]\nmode = \"uni100\"\n");

        var config = Resolve(new ConfigRequest { Model = "lightsans", Files = [file] });

        Assert.Equal(100, config.Data.MaxItemListLength);
        Assert.Equal(TimeOrder.Float32, config.Data.TimeOrder);
        Assert.Equal("uni100", config.Eval.Mode);
        Assert.Equal(SplitMode.ValidAndTest, config.Data.Split); // RecBole would reset the split to its RS default here
    }

    [Fact]
    public void A_recbole_key_and_its_seqrec_name_in_one_file_is_an_error()
    {
        using var dir = new TempFolder();
        var file = dir.File("twice.yaml", "eval_args:\n  mode: full\neval:\n  mode: uni100\n");

        var error = Assert.Single(Fails(new ConfigRequest { Model = "lightsans", Files = [file] }));

        Assert.Equal($"{file}:2: eval_args.mode: set twice, here and as eval.mode (line 4)", error);
    }

    [Theory]
    [InlineData("epochs: 3\nepochs: 4\n", 2, "column 1: malformed YAML: Duplicate key epochs")]
    [InlineData("epochs: [3\n", 2, "column 1: malformed YAML")]
    [InlineData("- epochs\n", 1, "expected a mapping of keys to values (key: value) at the top level")]
    public void Malformed_yaml_names_its_line(string yaml, int line, string expected)
    {
        using var dir = new TempFolder();
        var file = dir.File("bad.yaml", yaml);

        var error = Assert.Single(Fails(new ConfigRequest { Model = "lightsans", Files = [file] }));

        Assert.StartsWith($"{file}:{line}: {expected}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_scalars_are_typed_as_recboles_loader_types_them()
    {
        var errors = new ConfigErrors();

        var table = YamlConfigReader.Read("a: yes\nb: 'yes'\nc: 1e-3\nd: 12\ne: '12'\nf: .inf\ng: ~\nh: 1_000\n", "t.yaml", errors);

        Assert.False(errors.HasErrors, errors.ToString());
        Assert.Equal(true, Value(table!, "a"));
        Assert.Equal("yes", Value(table!, "b"));
        Assert.Equal(0.001, Value(table!, "c"));
        Assert.Equal(12L, Value(table!, "d"));
        Assert.Equal("12", Value(table!, "e"));
        Assert.Equal(double.PositiveInfinity, Value(table!, "f"));
        Assert.Null(table!["g"]);                         // null: the key keeps its default
        Assert.Equal(1000L, Value(table!, "h"));
        Assert.Equal(3, table["c"]!.Source.Line);
    }

    private static object Value(ConfigTable table, string key) => Assert.IsType<ConfigScalar>(table[key]).Value;
}

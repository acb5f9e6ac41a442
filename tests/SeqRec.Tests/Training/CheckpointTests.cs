using SeqRec.Evaluation;
using SeqRec.Runs;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Training;

public class CheckpointTests
{
    [Fact]
    public void A_checkpoint_round_trips_weights_config_and_dataset()
    {
        using var harness = new TrainingHarness();
        var path = Path.Combine(harness.Directory, "best.ckpt");
        var info = new CheckpointInfo("meanpool", "ml-100k", "[data]\ndataset = \"ml-100k\"\n");
        using var saved = new MeanPoolModel(10, 4);
        using var loaded = new MeanPoolModel(10, 4);
        var valid = new MetricValues([KeyValuePair.Create("mrr@10", 0.25)]);

        ModelCheckpoint.Save(path, saved, info, epoch: 7, valid);
        var header = ModelCheckpoint.LoadWeights(path, loaded);

        Assert.Equal(info, header.Info);
        Assert.Equal(7, header.Epoch);
        Assert.Equal(0.25, header.ValidMetrics["mrr@10"]);
        foreach (var (name, tensor) in saved.state_dict())
            Assert.Equal(tensor.data<float>().ToArray(), loaded.state_dict()[name].data<float>().ToArray());
        Assert.Equal(header.Info, ModelCheckpoint.ReadHeader(path).Info);
    }

    [Fact]
    public void Loading_a_checkpoint_into_a_different_model_is_a_clear_error()
    {
        using var harness = new TrainingHarness();
        var path = Path.Combine(harness.Directory, "best.ckpt");
        using var saved = new MeanPoolModel(10, 4);
        using var other = new MeanPoolModel(12, 4);
        ModelCheckpoint.Save(path, saved, new CheckpointInfo("meanpool", "x", ""), 0, MetricValues.Empty);

        var error = Assert.Throws<SeqRecException>(() => ModelCheckpoint.LoadWeights(path, other));
        Assert.Contains(path, error.Message);
    }

    [Theory]
    [InlineData(-40)]   // a byte of the weights
    [InlineData(-3)]    // a byte of the digest
    [InlineData(20)]    // a byte of the header
    public void A_flipped_byte_anywhere_is_reported_as_corruption_before_any_weight_loads(int offset)
    {
        using var harness = new TrainingHarness();
        var path = Path.Combine(harness.Directory, "best.ckpt");
        using var saved = new MeanPoolModel(10, 4);
        using var loaded = new MeanPoolModel(10, 4);
        ModelCheckpoint.Save(path, saved, new CheckpointInfo("meanpool", "x", ""), 0, MetricValues.Empty);
        var bytes = File.ReadAllBytes(path);
        bytes[offset < 0 ? bytes.Length + offset : offset] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<SeqRecException>(() => ModelCheckpoint.LoadWeights(path, loaded));
        Assert.Contains("the checkpoint is corrupt: its SHA-256 does not match", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(-1)]
    public void A_header_length_beyond_the_file_is_refused_before_it_is_allocated(int length)
    {
        using var harness = new TrainingHarness();
        var path = Path.Combine(harness.Directory, "hostile.ckpt");
        using (var writer = new BinaryWriter(File.Create(path)))
        {
            writer.Write("SEQRECKP"u8);
            writer.Write(1);          // the version without a digest
            writer.Write(length);
            writer.Write("{}"u8);
        }

        var error = Assert.Throws<SeqRecException>(() => ModelCheckpoint.ReadHeader(path));
        Assert.Contains($"the checkpoint is corrupt (a header of {length} bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_checkpoint_is_a_clear_error()
    {
        using var harness = new TrainingHarness();
        var path = Path.Combine(harness.Directory, "notes.txt");
        File.WriteAllText(path, "hello");

        var error = Assert.Throws<SeqRecException>(() => ModelCheckpoint.ReadHeader(path));
        Assert.Contains("not a SeqRec checkpoint", error.Message);
        Assert.Throws<SeqRecException>(() => ModelCheckpoint.ReadHeader(Path.Combine(harness.Directory, "missing.ckpt")));
    }

    [Fact]
    public void A_failed_atomic_write_keeps_the_old_file_and_leaves_no_temporary_file()
    {
        using var harness = new TrainingHarness();
        var path = Path.Combine(harness.Directory, "results.json");
        AtomicFile.WriteAllText(path, "old");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("partial"u8);
            throw new InvalidOperationException("disk full");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["results.json"], Directory.GetFiles(harness.Directory).Select(Path.GetFileName));
    }

    [Fact]
    public void An_atomic_write_replaces_the_whole_file()
    {
        using var harness = new TrainingHarness();
        var path = Path.Combine(harness.Directory, "sub", "config.toml");
        AtomicFile.WriteAllText(path, "a much longer first version");
        AtomicFile.WriteAllText(path, "short");
        Assert.Equal("short", File.ReadAllText(path));
    }
}

using System.Buffers.Binary;
using System.Text;
using SeqRec.Checkpoints;
using SeqRec.Modeling;
using SeqRec.Models;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Models;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("seqrec-checkpoints-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly ModelContext E2eContext = new(1683, 50);

    [Fact]
    public void The_reference_pytorch_state_dict_loads_into_sasrec_built_with_its_settings()
    {
        using var model = TinyModels.SasRec(E2eContext);
        var weights = WeightsFile.Read(TestPaths.E2eStateDict);

        WeightsFile.LoadInto(model, TestPaths.E2eStateDict);

        Assert.Equal(model.state_dict().Keys.Order(), weights.Keys.Order());
        foreach (var (name, tensor) in model.state_dict())
            Assert.True(tensor.eq(weights[name]).all().item<bool>(), name);
        // A trained embedding: the whole tensor was read (its last row too), and it is not the N(0, 0.02) init.
        var embedding = weights["item_embedding.weight"];
        // Values read independently with Python's pickle and struct modules (no torch).
        Assert.Equal(-114.23484, embedding.to_type(ScalarType.Float64).sum().item<double>(), 3);
        Assert.Equal(-0.09765545f, embedding[^1, ^1].item<float>());
        Assert.Equal(-0.67419322, weights["position_embedding.weight"].to_type(ScalarType.Float64).sum().item<double>(), 5);
        model.eval();
        using var noGrad = no_grad();
        using var batch = TinyModels.Batch(1683, 50, [50, 3]);
        Assert.True(model.FullSortScores(batch).isfinite().all().item<bool>());
    }

    [Fact]
    public void Loading_into_a_different_model_lists_every_mismatch_in_one_message()
    {
        using var lightSans = TinyModels.LightSans(E2eContext);
        var missing = Assert.Throws<SeqRecException>(() => WeightsFile.LoadInto(lightSans, TestPaths.E2eStateDict));
        Assert.StartsWith(TestPaths.E2eStateDict, missing.Message);
        Assert.Contains("missing keys (16): ", missing.Message);
        Assert.Contains("trm_encoder.layer.0.multi_head_attention.attpooling_key.theta", missing.Message);

        using var otherData = TinyModels.SasRec(new ModelContext(1000, 20));
        var shapes = Assert.Throws<SeqRecException>(() => WeightsFile.LoadInto(otherData, TestPaths.E2eStateDict));
        Assert.Contains("item_embedding.weight: file [1683, 64], model [1000, 64]", shapes.Message);
        Assert.Contains("position_embedding.weight: file [50, 64], model [20, 64]", shapes.Message);
    }

    [Fact]
    public void Missing_unexpected_and_misshapen_keys_are_all_reported_and_nothing_is_copied()
    {
        using var model = TinyModels.SasRec(new ModelContext(10, 4), new SasRecConfig { NumLayers = 1, HiddenSize = 8, InnerSize = 16 });
        var before = model.state_dict()["LayerNorm.weight"].clone();
        var weights = model.state_dict().ToDictionary(p => p.Key, p => p.Value.clone() + 1);
        weights.Remove("trm_encoder.layer.0.feed_forward.dense_1.bias");
        weights["extra.weight"] = zeros(3);
        weights["position_embedding.weight"] = zeros(5, 8);

        var error = Assert.Throws<SeqRecException>(() => StateDict.Apply(model, weights, "my.pth"));

        Assert.StartsWith("my.pth: the weights do not fit the model:", error.Message);
        Assert.Contains("missing keys (1): trm_encoder.layer.0.feed_forward.dense_1.bias", error.Message);
        Assert.Contains("unexpected keys (1): extra.weight", error.Message);
        Assert.Contains("shape mismatches (1): position_embedding.weight: file [5, 8], model [4, 8]", error.Message);
        Assert.True(model.state_dict()["LayerNorm.weight"].eq(before).all().item<bool>());
    }

    [Fact]
    public void A_safetensors_file_written_by_hand_is_read_with_its_dtypes_shapes_values_and_metadata()
    {
        var path = Path.Combine(_dir, "hand.safetensors");
        var header = """{"__metadata__":{"format":"pt"},"b":{"dtype":"I64","shape":[2],"data_offsets":[24,40]},"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}""";
        var data = new byte[40];
        for (var i = 0; i < 6; i++) BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i), i + 0.5f);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(24), -7);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(32), 1L << 40);
        using (var file = File.Create(path))
        {
            var headerBytes = Encoding.UTF8.GetBytes(header);
            var length = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBytes.Length);
            file.Write(length);
            file.Write(headerBytes);
            file.Write(data);
        }

        var (tensors, metadata) = SafeTensorsFile.Read(path);

        Assert.Equal("pt", metadata["format"]);
        Assert.Equal([2L, 3], tensors["a"].shape);
        Assert.Equal(ScalarType.Float32, tensors["a"].dtype);
        Assert.Equal([0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f], tensors["a"].data<float>().ToArray());
        Assert.Equal(ScalarType.Int64, tensors["b"].dtype);
        Assert.Equal([-7L, 1L << 40], tensors["b"].data<long>().ToArray());
    }

    [Theory]
    [InlineData("short", new byte[] { 1, 2, 3 })]
    [InlineData("header longer than the file", new byte[] { 200, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}' })]
    [InlineData("not JSON", new byte[] { 2, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'x' })]
    public void A_malformed_safetensors_file_is_a_user_error_naming_the_file(string why, byte[] content)
    {
        var path = Path.Combine(_dir, "bad.safetensors");
        File.WriteAllBytes(path, content);

        var error = Assert.Throws<SeqRecException>(() => WeightsFile.Read(path));

        Assert.True(error.Message.StartsWith($"{path}: not a valid safetensors file", StringComparison.Ordinal), why);
    }

    [Fact]
    public void Offsets_that_do_not_match_the_shape_are_rejected()
    {
        using var a = ones(2, 2);
        var path = Path.Combine(_dir, "offsets.safetensors");
        SafeTensorsFile.Write(path, [new("a", a)]);
        var bytes = File.ReadAllBytes(path);
        var text = Encoding.UTF8.GetString(bytes).Replace("\"shape\":[2,2]", "\"shape\":[2,3]", StringComparison.Ordinal);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));

        var error = Assert.Throws<SeqRecException>(() => SafeTensorsFile.Read(path));
        Assert.Contains("tensor 'a': shape [2, 3] and data_offsets [0, 16] do not describe 24 bytes", error.Message);
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", "tensor 'a' appears twice")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", "tensors 'a' and 'b' share bytes")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4000000000,4000000000],\"data_offsets\":[0,16]}}", "do not describe a size")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-4],\"data_offsets\":[0,16]}}", "do not describe a size")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1e30],\"data_offsets\":[0,16]}}", "malformed header entry")]
    public void Hostile_headers_are_refused_before_anything_is_allocated(string header, string expected)
    {
        var path = Path.Combine(_dir, "hostile.safetensors");
        var json = Encoding.UTF8.GetBytes(header);
        var content = new byte[8 + json.Length + 16];
        BitConverter.GetBytes((ulong)json.Length).CopyTo(content, 0);
        json.CopyTo(content, 8);
        File.WriteAllBytes(path, content);

        var error = Assert.Throws<SeqRecException>(() => SafeTensorsFile.Read(path));
        Assert.StartsWith($"{path}: not a valid safetensors file", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lightsans")]
    [InlineData("sasrec")]
    public void SeqRec_weights_round_trip_through_safetensors_with_metadata(string modelId)
    {
        var info = TinyModels.Info(modelId);
        var context = new ModelContext(40, 9);
        using var saved = TinyModels.Create(info, context, LossType.CE, seed: 1);
        using var fresh = TinyModels.Create(info, context, LossType.CE, seed: 2);
        var path = Path.Combine(_dir, $"{modelId}.safetensors");

        WeightsFile.Save(saved, path, new Dictionary<string, string> { ["model"] = modelId, ["config"] = "num_layers = 2\n" });
        WeightsFile.LoadInto(fresh, path);

        foreach (var (name, tensor) in saved.state_dict())
            Assert.True(tensor.eq(fresh.state_dict()[name]).all().item<bool>(), name);
        var metadata = SafeTensorsFile.Read(path).Metadata;
        Assert.Equal(modelId, metadata["model"]);
        Assert.Equal("num_layers = 2\n", metadata["config"]);
        Assert.Equal(0, new FileInfo(path).Length % 4);
    }

    [Fact]
    public void A_file_that_is_neither_format_is_a_user_error()
    {
        var path = Path.Combine(_dir, "weights.pth");
        File.WriteAllText(path, "PK\x03\x04 but not really a zip");

        var error = Assert.Throws<SeqRecException>(() => WeightsFile.Read(path));

        Assert.StartsWith($"{path}: not a PyTorch state dict", error.Message);
        Assert.Throws<SeqRecException>(() => WeightsFile.Read(Path.Combine(_dir, "absent.pth")));
    }

    [Fact]
    public void Stored_weight_shapes_are_read_without_loading_them()
    {
        using var model = TinyModels.SasRec(new ModelContext(20, 6), new SasRecConfig { NumLayers = 1, HiddenSize = 8, InnerSize = 300 });
        var path = Path.Combine(_dir, "shapes.ckpt");
        SeqRec.Runs.ModelCheckpoint.Save(path, model, new SeqRec.Runs.CheckpointInfo("sasrec", "tiny", "model = \"sasrec\"\n[sasrec]\ninner_size = 300\n"), 0, SeqRec.Evaluation.MetricValues.Empty);

        var shapes = SeqRec.Runs.ModelCheckpoint.ReadWeightShapes(path);

        Assert.Equal(model.state_dict().Select(p => (p.Key, string.Join(",", p.Value.shape))), shapes.Select(s => (s.Name, string.Join(",", s.Shape))));
        // inner_size 300 is above the free bound but is a stored dimension: accepted.
        SeqRec.Runs.CheckpointSizeCheck.Check(path, SeqRec.Runs.ModelCheckpoint.ReadHeader(path).Info);
    }

    [Fact]
    public void A_stored_config_asking_for_sizes_its_weights_do_not_have_is_refused_before_the_model_is_built()
    {
        using var model = TinyModels.SasRec(new ModelContext(20, 6), new SasRecConfig { NumLayers = 1, HiddenSize = 8, InnerSize = 16 });
        var path = Path.Combine(_dir, "hostile.ckpt");
        var config = "model = \"sasrec\"\n[data]\ndataset = \"nowhere\"\n[sasrec]\nhidden_size = 65536\ninner_size = 65536\nn_layers = 2\n";
        SeqRec.Runs.ModelCheckpoint.Save(path, model, new SeqRec.Runs.CheckpointInfo("sasrec", "nowhere", config), 0, SeqRec.Evaluation.MetricValues.Empty);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<SeqRecException>(() => SavedModel.Load(path));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains("sasrec.hidden_size = 65536, sasrec.inner_size = 65536", error.Message);
        Assert.Contains("no stored weight has such a dimension (the largest is 20)", error.Message);
    }
}

using SeqRec.Configuration;
using Xunit;

namespace SeqRec.Tests.Models;

/// <summary>
/// A key that several models' sections share means the same kind of setting everywhere: a user who moves
/// <c>hidden_size</c> or <c>num_layers</c> from one model's section to another's meets the same type and bounds.
/// Defaults and help stay per model (they follow RecBole's per-model YAML and each model's own wiring).
/// </summary>
public sealed class SharedParameterTests
{
    /// <summary>RecBole spells the layer count both ways across its models; each of our sections accepts both.</summary>
    private static readonly string[] LayerCountSpellings = ["num_layers", "n_layers"];

    private static IEnumerable<(string Section, ParamInfo Param)> AllParameters() =>
        TinyModels.Registry.All.SelectMany(m => m.Config.Parameters.Select(p => (m.Config.Name, p)));

    [Fact]
    public void A_key_shared_by_several_sections_has_the_same_bounds_wherever_its_type_is_the_same()
    {
        var mismatches = AllParameters()
            .GroupBy(x => (x.Param.Key, x.Param.TypeName))
            .Where(g => g.Select(x => (x.Param.Min, x.Param.Max)).Distinct().Count() > 1)
            .Select(g => $"{g.Key.Key} ({g.Key.TypeName}): " + string.Join("; ",
                g.Select(x => $"{x.Section} [{x.Param.Min}, {x.Param.Max}]")))
            .ToList();

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    [Fact]
    public void A_loss_type_lists_its_choices_in_one_order_across_sections()
    {
        var orders = AllParameters()
            .Where(x => x.Param.Key == "loss_type")
            .Select(x => (x.Section, Values: x.Param.AllowedValues))
            .ToList();

        Assert.NotEmpty(orders);
        var canonical = new[] { "CE", "BPR", "NLL" };
        foreach (var (section, values) in orders)
            Assert.True(values.SequenceEqual(canonical.Where(values.Contains)), $"{section}: {string.Join(", ", values)}");
    }

    [Fact]
    public void Every_section_with_a_layer_count_accepts_both_of_its_spellings()
    {
        var sections = TinyModels.Registry.All.Select(m => m.Config)
            .Where(c => c.Parameters.Any(p => LayerCountSpellings.Contains(p.Key)))
            .ToList();

        Assert.NotEmpty(sections);
        foreach (var section in sections)
        {
            var layers = section.Parameters.Single(p => LayerCountSpellings.Contains(p.Key));
            foreach (var spelling in LayerCountSpellings)
            {
                var source = new ConfigSource("test");
                var table = new ConfigTable(source);
                table.Set(spelling, new ConfigScalar(3L, source));
                var errors = new ConfigErrors();
                var bound = section.Bind(table, errors);

                Assert.False(errors.HasErrors, $"{section.Name}.{spelling}: {errors}");
                Assert.Equal(3, Convert.ToInt32(bound.GetValues().Single(v => v.Key == layers.Key).Value));
            }
        }
    }
}

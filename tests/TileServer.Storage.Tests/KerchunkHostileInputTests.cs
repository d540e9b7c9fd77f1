using System.Text;
using TileServer.Storage.Kerchunk;
using Xunit;

namespace TileServer.Storage.Tests;

/// <summary>
/// Reference files that are valid JSON but no valid references: the parser answers each with a
/// <see cref="KerchunkFormatException"/> that says what is wrong, never with an exception of the JSON library or of
/// arithmetic, and never by recursing or allocating as the input asks.
/// </summary>
public sealed class KerchunkHostileInputTests
{
    private static Exception? Parse(string json)
        => Record.Exception(() => KerchunkReferences.Parse(Encoding.UTF8.GetBytes(json), "/data", "reference:///data/refs.json", "refs.json"));

    [Theory]
    [InlineData("""{"a/0": ["f.nc", "10", 5]}""", "offset and length")]
    [InlineData("""{"a/0": ["f.nc", 10, null]}""", "offset and length")]
    [InlineData("""{"a/0": ["f.nc", 1.5, 5]}""", "offset and length")]
    [InlineData("""{"a/0": ["f.nc", 9223372036854775000, 9223372036854775000]}""", "sum fits in 64 bits")]
    [InlineData("""{"version": 1, "gen": [{"key": "k{{i}}", "url": "f", "dimensions": {"i": {"start": "0", "stop": 3}}}]}""", "gen 'start' must be an integer")]
    [InlineData("""{"version": 1, "gen": [{"key": "k{{i}}", "url": "f", "dimensions": {"i": {"start": -9223372036854775807, "stop": 9223372036854775807, "step": 1}}}]}""", "has more than")]
    [InlineData("""{"version": 1, "gen": [{"key": "k{{i}}", "url": "f", "offset": "{{ 9223372036854775807 + i }}", "length": 1, "dimensions": {"i": [1]}}]}""", "'gen' entry")]
    [InlineData("""{"version": 1, "gen": [{"key": "k{{i}}", "url": "f", "offset": 9223372036854775807, "length": 9, "dimensions": {"i": [1]}}]}""", "not a byte range")]
    public void Impossible_references_are_a_format_error_saying_what_is_wrong(string json, string expected)
    {
        var ex = Parse(json);
        Assert.IsType<KerchunkFormatException>(ex);
        Assert.Contains(expected, ex!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_generator_over_a_range_of_one_huge_step_yields_its_one_key()
    {
        var refs = KerchunkReferences.Parse(Encoding.UTF8.GetBytes("""{"version": 1, "gen": [{"key": "k{{i}}", "url": "f", "dimensions": {"i": {"stop": 9223372036854775807, "step": 9223372036854775807}}}]}"""), "/data", "loc", "refs.json");
        Assert.Equal(["k0"], refs.Keys);
    }

    [Fact]
    public void A_template_nested_beyond_any_real_use_is_refused_without_exhausting_the_stack()
    {
        string deep = new string('(', 100_000) + "1" + new string(')', 100_000);
        var ex = Record.Exception(() => TemplateExpression.Render("{{ " + deep + " }}", new Dictionary<string, string>()));
        Assert.IsType<FormatException>(ex);
        Assert.Contains("nests deeper", ex!.Message, StringComparison.Ordinal);

        var refs = Parse($$$"""{"version": 1, "gen": [{"key": "k{{i}}", "url": "f", "offset": "{{ {{{new string('-', 100_000)}}}1 }}", "length": 1, "dimensions": {"i": [1]}}]}""");
        Assert.IsType<KerchunkFormatException>(refs);
    }

    [Fact]
    public void Templates_nested_within_the_limit_still_evaluate()
        => Assert.Equal("-7", TemplateExpression.Render("{{ " + new string('(', 30) + "-(-(-7))" + new string(')', 30) + " }}", new Dictionary<string, string>()));
}

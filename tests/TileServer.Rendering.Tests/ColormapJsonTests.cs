namespace TileServer.Rendering.Tests;

public class ColormapJsonTests
{
    [Fact]
    public void Discrete_object_with_small_keys_is_a_palette_with_unlisted_entries_transparent()
    {
        var map = Assert.IsType<Colormap>(Colormap.ParseJson("""{"0": [255, 0, 0, 255], "1": "#00ff00", "7": [0, 0, 255], "255": "#01020304"}"""));
        Assert.Equal(new RgbaColor(255, 0, 0, 255), map[0]);
        Assert.Equal(new RgbaColor(0, 255, 0, 255), map[1]);
        Assert.Equal(new RgbaColor(0, 0, 255, 255), map[7]);
        Assert.Equal(new RgbaColor(1, 2, 3, 4), map[255]);
        Assert.Equal(RgbaColor.Transparent, map[2]);
        Assert.Equal(RgbaColor.Transparent, map[254]);
    }

    [Fact]
    public void Discrete_object_with_large_keys_matches_raw_values_exactly()
    {
        var map = Assert.IsType<IntervalColormap>(Colormap.ParseJson("""{"1000": "#ff0000", "-5": [0, 0, 255, 128]}"""));
        Assert.Equal(0, map.Classify(1000));
        Assert.Equal(1, map.Classify(-5));
        Assert.Equal(-1, map.Classify(1000.5));
        Assert.Equal(new RgbaColor(0, 0, 255, 128), map.Intervals[1].Color);
    }

    [Fact]
    public void Intervals_classify_raw_values_half_open()
    {
        var map = Assert.IsType<IntervalColormap>(Colormap.ParseJson("""[[[0, 10], [255, 0, 0, 255]], [[10, 20.5], "#00ff00"]]"""));
        Assert.Equal(0, map.Classify(0));
        Assert.Equal(0, map.Classify(9.999));
        Assert.Equal(1, map.Classify(10));
        Assert.Equal(1, map.Classify(20.4));
        Assert.Equal(-1, map.Classify(20.5));
        Assert.Equal(-1, map.Classify(-0.1));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{\"0\": [255, 0]}", "'0'")]
    [InlineData("{\"a\": [255, 0, 0]}", "key 'a'")]
    [InlineData("{\"0\": [256, 0, 0]}", "0..255")]
    [InlineData("{\"0\": \"#gg0000\"}", "#gg0000")]
    [InlineData("{\"0\": [\"a\", 0, 0]}", "0..255")]
    [InlineData("{\"0\": 5}", "color must be")]
    [InlineData("{}", "empty")]
    [InlineData("[]", "empty")]
    [InlineData("42", "object")]
    [InlineData("[[[5, 1], [0, 0, 0]]]", "min <= max")]
    [InlineData("[[[0, 1]]]", "interval #0")]
    [InlineData("[[[0, \"x\"], [0, 0, 0]]]", "two numbers")]
    [InlineData("[[[10, 20.5], \"\\ud800\"]]", "not valid text")]
    [InlineData("{\"\\udc00\": [0, 0, 0]}", "not valid text")]
    public void Malformed_json_names_what_is_wrong(string json, string expectedInMessage)
    {
        var e = Assert.Throws<FormatException>(() => Colormap.ParseJson(json));
        Assert.Contains(expectedInMessage, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_entries_is_rejected()
    {
        var json = "{" + string.Join(",", Enumerable.Range(0, 300).Select(i => $"\"{i}\": [0, 0, 0]")) + "}";
        var e = Assert.Throws<FormatException>(() => Colormap.ParseJson(json));
        Assert.Contains("more than 256", e.Message, StringComparison.Ordinal);
    }
}

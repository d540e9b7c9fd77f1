using TileServer.Storage.Kerchunk;
using Xunit;

namespace TileServer.Storage.Tests;

public sealed class RangeMathTests
{
    [Theory]
    [InlineData(null, null, 100, true, 0, 100)]
    [InlineData(10L, 20L, 100, true, 10, 20)]
    [InlineData(90L, 20L, 100, true, 90, 10)]
    [InlineData(100L, 1L, 100, false, 0, 0)]
    [InlineData(0L, 5L, 0, true, 0, 0)]
    public void TryResolve_OffsetRanges(long? start, long? length, long size, bool found, long expectedStart, long expectedLength)
    {
        ByteRange? range = start is { } s ? ByteRange.FromOffset(s, length!.Value) : null;
        Assert.Equal(found, RangeMath.TryResolve(range, size, out long a, out long n));
        if (found)
        {
            Assert.Equal((expectedStart, expectedLength), (a, n));
        }
    }

    [Theory]
    [InlineData(10, 100, 90, 10)]
    [InlineData(200, 100, 0, 100)]
    public void TryResolve_Suffixes(long suffix, long size, long expectedStart, long expectedLength)
    {
        Assert.True(RangeMath.TryResolve(ByteRange.Suffix(suffix), size, out long a, out long n));
        Assert.Equal((expectedStart, expectedLength), (a, n));
    }

    [Theory]
    [InlineData(10, 20, 10, 29, 1000L, true)]
    [InlineData(10, 20, 10, 29, null, true)]
    [InlineData(990, 20, 990, 999, 1000L, true)] // cut at the end of the object
    [InlineData(10, 20, 10, 19, 1000L, false)]   // short for no reason
    [InlineData(10, 20, 0, 29, 1000L, false)]    // wrong start
    [InlineData(10, 20, 10, 39, 1000L, false)]   // longer than asked
    [InlineData(10, 20, 10, 1000, 1000L, false)] // beyond the object
    public void CheckContentRange_OffsetRequests(long start, long length, long from, long to, long? total, bool ok)
    {
        Assert.Equal(ok, RangeMath.CheckContentRange(ByteRange.FromOffset(start, length), from, to, total) is null);
    }

    [Theory]
    [InlineData(20, 980, 999, 1000L, true)]
    [InlineData(20, 0, 9, 10L, true)]       // object shorter than the suffix
    [InlineData(20, 0, 20, 3000L, false)]   // s3rver's reading of bytes=-20
    [InlineData(20, 970, 989, 1000L, false)] // not at the end
    [InlineData(20, 980, 999, null, true)]
    public void CheckContentRange_SuffixRequests(long suffix, long from, long to, long? total, bool ok)
    {
        Assert.Equal(ok, RangeMath.CheckContentRange(ByteRange.Suffix(suffix), from, to, total) is null);
    }
}

public sealed class StoreLocationTests
{
    [Theory]
    [InlineData("s3://b/dir/f.nc", "s3://b/dir", "f.nc")]
    [InlineData("s3://b/f.nc", "s3://b", "f.nc")]
    [InlineData("https://h:8080/a/b/refs.json?sig=1", "https://h:8080/a/b?sig=1", "refs.json")]
    [InlineData("/data/x/refs.json", "/data/x", "refs.json")]
    [InlineData("/refs.json", "/", "refs.json")]
    [InlineData("refs.json", ".", "refs.json")]
    [InlineData("file:///data/refs.json", "file:///data", "refs.json")]
    public void Split_SeparatesFolderAndName(string location, string parent, string name)
    {
        Assert.Equal((parent, name), StoreLocation.Split(location));
    }

    [Theory]
    [InlineData("s3://b/dir", "f.nc", "s3://b/dir/f.nc")]
    [InlineData("s3://b/dir", "../other/f.nc", "s3://b/other/f.nc")]
    [InlineData("https://h/a/b", "./c/f.nc", "https://h/a/b/c/f.nc")]
    [InlineData("https://h/a?x=1", "f.nc", "https://h/a/f.nc?x=1")]
    [InlineData("https://h/a", "s3://other/f.nc", "s3://other/f.nc")]
    [InlineData("s3://b", "f.nc", "s3://b/f.nc")]
    public void Resolve_RelativeReferencesAgainstUrls(string folder, string reference, string expected)
    {
        Assert.Equal(expected, StoreLocation.Resolve(folder, reference));
    }

    [Fact]
    public void Resolve_RelativeReferencesAgainstPaths()
    {
        Assert.Equal(Path.Combine("/data/x", "f.nc"), StoreLocation.Resolve("/data/x", "f.nc"));
        Assert.Equal("/abs/f.nc", StoreLocation.Resolve("/data/x", "/abs/f.nc"));
    }

    [Theory]
    [InlineData("s3://b/dir", "s3://b/dir/f.nc", true)]
    [InlineData("s3://b/dir", "s3://b/dir/sub/f.nc", true)]
    [InlineData("https://h/a?sig=1", "https://h/a/f.nc?sig=1", true)]
    [InlineData("s3://b/dir", "s3://b/dir2/f.nc", false)]
    [InlineData("s3://b/dir", "s3://b/dir/../x.nc", false)]
    [InlineData("s3://b/dir", "s3://b/dir", false)]
    [InlineData("s3://b/dir", "s3://other/dir/f.nc", false)]
    [InlineData("https://h/a", "https://h.evil/a/f.nc", false)]
    [InlineData("s3://b/dir", "/b/dir/f.nc", false)]
    [InlineData("/data/x", "/data/x/f.nc", true)]
    [InlineData("/data/x", "/data/x/../y/f.nc", false)]
    [InlineData("/data/x", "/data/xy/f.nc", false)]
    [InlineData("/data/x", "file:///data/x/f.nc", false)]
    public void IsWithin_AcceptsOnlyObjectsInsideTheFolder(string folder, string location, bool expected)
    {
        Assert.Equal(expected, StoreLocation.IsWithin(folder, location));
    }

    [Fact]
    public void Resolve_RefusesToClimbAboveTheRoot()
    {
        Assert.Throws<ArgumentException>(() => StoreLocation.Resolve("s3://b/a", "../../f.nc"));
    }

    [Theory]
    [InlineData("s3://b", true)]
    [InlineData("reference://s3://b", true)]
    [InlineData("/data/x", false)]
    [InlineData("C:/data/x", false)]
    [InlineData("relative/x", false)]
    public void HasScheme(string location, bool expected)
    {
        Assert.Equal(expected, StoreLocation.HasScheme(location));
    }
}

public sealed class TemplateExpressionTests
{
    private static readonly Dictionary<string, string> Vars = new() { ["i"] = "3", ["j"] = "-7", ["u"] = "s3://b/f.nc" };

    [Theory]
    [InlineData("{{u}}", "s3://b/f.nc")]
    [InlineData("{{ u }}#x", "s3://b/f.nc#x")]
    [InlineData("k/{{i}}.{{ i + 1 }}", "k/3.4")]
    [InlineData("{{ 100 + i * 8 }}", "124")]
    [InlineData("{{ (i + 1) * (2 - 1) }}", "4")]
    [InlineData("{{ j // 2 }}", "-4")]  // Python floor division
    [InlineData("{{ j % 3 }}", "2")]    // Python modulo sign
    [InlineData("plain", "plain")]
    public void Render(string template, string expected)
    {
        Assert.Equal(expected, TemplateExpression.Render(template, Vars));
    }

    [Theory]
    [InlineData("{{ x }}")]
    [InlineData("{{ i / 2 }}")]
    [InlineData("{{ i ** 2 }}")]
    [InlineData("{{ i ")]
    [InlineData("{{ u + 1 }}")]
    [InlineData("{{ i // 0 }}")]
    public void Refuses(string template)
    {
        Assert.Throws<FormatException>(() => TemplateExpression.Render(template, Vars));
    }
}

using System.Text;
using System.Text.Json;
using TileServer.Storage.Kerchunk;
using TileServer.Storage.Tests.Infrastructure;
using Xunit;

namespace TileServer.Storage.Tests;

/// <summary>
/// Kerchunk references written by tests/data/kerchunk/make_refs.py (h5py chunk offsets into a NetCDF4 file).
/// Every referenced key must read exactly the bytes at that range of sample.nc, sliced independently here.
/// </summary>
public sealed class KerchunkStoreTests : IDisposable
{
    private static readonly string Folder = RepoPaths.KerchunkData;
    private static readonly byte[] NetCdf = File.ReadAllBytes(Path.Combine(Folder, "sample.nc"));
    private readonly ByteStoreFactory _factory = new(new StoreOptions());

    public void Dispose() => _factory.Dispose();

    /// <summary>chunks.json as python wrote it: key → (offset, length) inside sample.nc.</summary>
    private static (Dictionary<string, (long Offset, long Length)> Ranges, string InlineKey) ExpectedRanges()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "chunks.json")));
        var ranges = new Dictionary<string, (long, long)>();
        foreach (var entry in doc.RootElement.GetProperty("ranges").EnumerateObject())
        {
            ranges[entry.Name] = (entry.Value[0].GetInt64(), entry.Value[1].GetInt64());
        }

        return (ranges, doc.RootElement.GetProperty("inline_base64_key").GetString()!);
    }

    private static byte[] Slice(long offset, long length) => NetCdf.AsSpan((int)offset, (int)length).ToArray();

    [Theory]
    [InlineData("refs_v1.json", "")]
    [InlineData("refs_v1.json", "reference://")]
    [InlineData("refs_v0.json", "kerchunk://file://")]
    [InlineData("refs_v0.json", "")]
    public async Task EveryReferencedChunk_ReadsTheBytesAtItsRangeInTheNetCdf(string file, string prefix)
    {
        var store = _factory.Open(prefix + Path.Combine(Folder, file));
        var (ranges, inlineKey) = ExpectedRanges();
        Assert.True(ranges.Count >= 10);

        foreach (var (key, (offset, length)) in ranges)
        {
            var bytes = await store.GetAsync(key);
            Assert.True(bytes is not null, $"{key} missing");
            Assert.True(Slice(offset, length).AsSpan().SequenceEqual(bytes), $"{key} differs from sample.nc[{offset}..+{length}]");
        }

        Assert.Equal(Slice(ranges[inlineKey].Offset, ranges[inlineKey].Length), await store.GetAsync(inlineKey));
    }

    [Theory]
    [InlineData("refs_v1.json")]
    [InlineData("refs_v0.json")]
    public async Task InlineMetadata_IsTheJsonStringAsUtf8(string file)
    {
        var store = _factory.Open(Path.Combine(Folder, file));
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, file)));
        var refs = doc.RootElement.TryGetProperty("refs", out var r) ? r : doc.RootElement;

        foreach (var key in new[] { ".zgroup", ".zattrs", "temperature/.zarray", "precip/.zarray", "precip/.zattrs" })
        {
            Assert.Equal(Encoding.UTF8.GetBytes(refs.GetProperty(key).GetString()!), await store.GetAsync(key));
        }

        using var zarray = JsonDocument.Parse((await store.GetAsync("precip/.zarray"))!);
        Assert.Equal("zlib", zarray.RootElement.GetProperty("compressor").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Base64InlineChunk_IsDecoded()
    {
        var (ranges, inlineKey) = ExpectedRanges();
        var raw = File.ReadAllText(Path.Combine(Folder, "refs_v1.json"));
        Assert.Contains($"\"{inlineKey}\": \"base64:", raw, StringComparison.Ordinal);

        var store = _factory.Open(Path.Combine(Folder, "refs_v1.json"));
        var (offset, length) = ranges[inlineKey];

        Assert.Equal(Slice(offset, length), await store.GetAsync(inlineKey));
        Assert.Equal(Slice(offset + 5, 7), await store.GetAsync(inlineKey, ByteRange.FromOffset(5, 7)));
        Assert.Equal(Slice(offset + length - 4, 4), await store.GetAsync(inlineKey, ByteRange.Suffix(4)));
    }

    [Fact]
    public async Task RangeWithinAReference_IsTranslatedIntoTheFile()
    {
        var store = _factory.Open(Path.Combine(Folder, "refs_v0.json"));
        var (offset, length) = ExpectedRanges().Ranges["temperature/0.1.0"];

        Assert.Equal(Slice(offset + 10, 20), await store.GetAsync("temperature/0.1.0", ByteRange.FromOffset(10, 20)));
        Assert.Equal(Slice(offset + length - 8, 8), await store.GetAsync("temperature/0.1.0", ByteRange.Suffix(8)));
        Assert.Equal(Slice(offset + length - 3, 3), await store.GetAsync("temperature/0.1.0", ByteRange.FromOffset(length - 3, 100)));
        Assert.Null(await store.GetAsync("temperature/0.1.0", ByteRange.FromOffset(length + 1, 4)));
    }

    [Fact]
    public async Task KeyWithoutReference_IsAbsent()
    {
        var store = _factory.Open(Path.Combine(Folder, "refs_v1.json"));
        Assert.Null(await store.GetAsync("temperature/9.9.9"));
        Assert.Null(await store.GetAsync("zarr.json"));
    }

    [Fact]
    public async Task ReferencesServedOverHttp_ResolveRelativeUrlsAgainstTheJsonUrl()
    {
        await using var server = await LoopbackServer.StartStaticAsync(Folder);
        var counting = new CountingByteStore(_factory.Open($"reference://{server.BaseUrl}/refs_v1.json"));
        var (ranges, _) = ExpectedRanges();

        var tasks = ranges.Select(async kv => (kv.Key, Bytes: await counting.GetAsync(kv.Key))).ToArray();
        foreach (var (key, bytes) in await Task.WhenAll(tasks))
        {
            Assert.Equal(Slice(ranges[key].Offset, ranges[key].Length), bytes);
        }

        Assert.Equal(ranges.Count, counting.Requests);
        Assert.Equal(ranges.Values.Sum(r => r.Length), counting.Bytes);
    }

    [Fact]
    public async Task ReferenceToAMissingFile_IsAStoreExceptionNotAbsence()
    {
        using var temp = new TempFolder();
        var refs = temp.Write("refs.json", """{"a/0": ["gone.nc", 0, 10], "b/0": ["sample.nc", 0, 10]}"""u8.ToArray());
        temp.Write("sample.nc", new byte[5]);
        var store = _factory.Open(refs);

        var missing = await Assert.ThrowsAsync<StoreException>(() => store.GetAsync("a/0").AsTask());
        Assert.Equal("a/0", missing.Key);
        Assert.Contains("gone.nc", missing.Message, StringComparison.Ordinal);

        var shortFile = await Assert.ThrowsAsync<StoreException>(() => store.GetAsync("b/0").AsTask());
        Assert.Contains("past the end", shortFile.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingReferenceFile_FailsAndIsRetriedOnTheNextRead()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "later.json");
        var store = _factory.Open(path);

        await Assert.ThrowsAsync<StoreException>(() => store.GetAsync("x").AsTask());

        File.WriteAllText(path, """{"x": "hello"}""");
        Assert.Equal("hello"u8.ToArray(), await store.GetAsync("x"));
    }

    [Theory]
    [InlineData("""[1, 2]""", "top level")]
    [InlineData("""{"version": 2, "refs": {}}""", "unsupported version")]
    [InlineData("""{"k": [1, 2, 3]}""", "key 'k'")]
    [InlineData("""{"k": ["f.nc", -1, 3]}""", "non-negative")]
    [InlineData("""{"k": ["f.nc", 1]}""", "[url, offset, length]")]
    [InlineData("""{"k": "base64:@@@"}""", "base64")]
    [InlineData("""{"version": 1, "refs": {"k": ["{{missing}}", 0, 1]}, "templates": {"a": "b"}}""", "missing")]
    [InlineData("""not json""", "not JSON")]
    [InlineData("""{"zarr_format": 3, "node_type": "group"}""", "open the folder")]
    public async Task MalformedReferences_AreReportedWithWhatIsWrong(string json, string expected)
    {
        using var temp = new TempFolder();
        var store = _factory.Open(temp.Write("bad.json", Encoding.UTF8.GetBytes(json)));

        var ex = await Assert.ThrowsAsync<KerchunkFormatException>(() => store.GetAsync("k").AsTask());
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal("bad.json", ex.Key);
    }

    [Fact]
    public async Task GeneratedReferences_ExpandOverDimensionsWithArithmetic()
    {
        // lat is a contiguous float64 variable: generate one key per value, each 8 bytes apart.
        var (ranges, _) = ExpectedRanges();
        var (latOffset, latLength) = ranges["lat/0"];
        Assert.Equal(16 * 8, latLength);
        using var temp = new TempFolder();
        var json = """
        {
          "version": 1,
          "templates": {"f": "@FILE@"},
          "refs": {"lat/.zarray": "{}"},
          "gen": [
            {"key": "lat_by_value/{{ i }}", "url": "{{f}}", "offset": "{{ @OFFSET@ + i * 8 }}", "length": "8",
             "dimensions": {"i": {"stop": 16}}},
            {"key": "grid/{{ j }}.{{ k }}", "url": "{{f}}", "offset": "{{ @OFFSET@ + (j * 2 + k) * 8 }}", "length": 8,
             "dimensions": {"j": [0, 1, 2], "k": {"start": 0, "stop": 2, "step": 1}}}
          ]
        }
        """
            .Replace("@FILE@", Path.Combine(Folder, "sample.nc").Replace('\\', '/'), StringComparison.Ordinal)
            .Replace("@OFFSET@", latOffset.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        // The references name sample.nc by its absolute path, outside the reference file's folder: a container allows it.
        using var factory = new ByteStoreFactory(new StoreOptions { VirtualChunkContainers = [FolderContainer()] });
        var store = factory.Open(temp.Write("gen.json", Encoding.UTF8.GetBytes(json)));

        for (int i = 0; i < 16; i++)
        {
            Assert.Equal(Slice(latOffset + (i * 8), 8), await store.GetAsync($"lat_by_value/{i}"));
        }

        Assert.Equal(Slice(latOffset + (5 * 8), 8), await store.GetAsync("grid/2.1"));
        Assert.Null(await store.GetAsync("lat_by_value/16"));
        Assert.Null(await store.GetAsync("grid/3.0"));
    }

    [Fact]
    public async Task ReferencesOutsideTheFolderOfTheReferenceFile_AreRefusedNamingTheUrl()
    {
        using var temp = new TempFolder();
        string absolute = Path.Combine(Folder, "sample.nc").Replace('\\', '/');
        var refs = temp.Write("refs.json", Encoding.UTF8.GetBytes($$"""
            {"abs/0": ["{{absolute}}", 0, 8], "up/0": ["../elsewhere/sample.nc", 0, 8],
             "http/0": ["http://127.0.0.1:9/secret", 0, 8], "s3/0": ["s3://other-bucket/x.nc", 0, 8], "near/0": ["sub/blob.bin", 0, 2]}
            """));
        temp.Write("sub/blob.bin", [1, 2, 3]);
        var store = _factory.Open(refs);

        foreach (var (key, url) in new[] { ("abs/0", absolute), ("http/0", "http://127.0.0.1:9/secret"), ("s3/0", "s3://other-bucket/x.nc") })
        {
            var refused = await Assert.ThrowsAsync<VirtualChunkRefusedException>(() => store.GetAsync(key).AsTask());
            Assert.Equal(url, refused.Url);
            Assert.Equal(key, refused.Key);
            Assert.Contains(url, refused.Message, StringComparison.Ordinal);
            Assert.Equal(FailureKind.InvalidData, refused.Kind);
        }

        // A relative reference that climbs out of the folder is refused like an absolute one.
        Assert.EndsWith(Path.Combine("elsewhere", "sample.nc"), (await Assert.ThrowsAsync<VirtualChunkRefusedException>(() => store.GetAsync("up/0").AsTask())).Url, StringComparison.Ordinal);
        Assert.Equal(new byte[] { 1, 2 }, await store.GetAsync("near/0"));

        // With a container for the folder of sample.nc, the absolute reference reads the file's bytes.
        using var allowed = new ByteStoreFactory(new StoreOptions { VirtualChunkContainers = [FolderContainer()] });
        Assert.Equal(Slice(0, 8), await allowed.Open(refs).GetAsync("abs/0"));
        await Assert.ThrowsAsync<VirtualChunkRefusedException>(() => allowed.Open(refs).GetAsync("s3/0").AsTask());
    }

    [Fact]
    public async Task AContainerMapsAReferencePrefixToAnotherLocation()
    {
        using var temp = new TempFolder();
        var refs = temp.Write("refs.json", """{"k/0": ["s3://archive-bucket/nc/sample.nc", 16, 8], "k/1": ["s3://archive-bucket/nc/../../x", 0, 1]}"""u8.ToArray());
        var container = new VirtualChunkContainer { Prefix = "s3://archive-bucket/nc/", Location = Folder };
        using var factory = new ByteStoreFactory(new StoreOptions { VirtualChunkContainers = [container] });
        var store = factory.Open(refs);

        Assert.Equal(Slice(16, 8), await store.GetAsync("k/0"));
        await Assert.ThrowsAsync<VirtualChunkRefusedException>(() => store.GetAsync("k/1").AsTask());
    }

    private static VirtualChunkContainer FolderContainer()
    {
        string full = Path.GetFullPath(Folder).Replace('\\', '/').TrimEnd('/');
        return new VirtualChunkContainer { Prefix = "file://" + (full.StartsWith('/') ? full : "/" + full) + "/", Location = Folder };
    }

    [Fact]
    public async Task WholeObjectReference_ReadsTheWholeTargetAndPassesRangesThrough()
    {
        using var temp = new TempFolder();
        temp.Write("sub/blob.bin", [9, 8, 7, 6, 5]);
        var store = _factory.Open("reference://" + temp.Write("refs.json", """{"version": 1, "refs": {"blob": ["sub/blob.bin"], "obj": {"a": 1}}}"""u8.ToArray()));

        Assert.Equal(new byte[] { 9, 8, 7, 6, 5 }, await store.GetAsync("blob"));
        Assert.Equal(new byte[] { 6, 5 }, await store.GetAsync("blob", ByteRange.Suffix(2)));
        Assert.Equal("""{"a": 1}"""u8.ToArray(), await store.GetAsync("obj"));
    }
}

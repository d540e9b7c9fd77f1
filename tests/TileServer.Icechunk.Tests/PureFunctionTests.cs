using TileServer.Icechunk.Format;
using TileServer.Storage;
using Xunit;

namespace TileServer.Icechunk.Tests;

public sealed class PureFunctionTests
{
    [Fact]
    public void Object_ids_are_spelled_in_crockford_base32_as_the_spec_example()
    {
        byte[] initial = [0x0b, 0x1c, 0xc8, 0xd6, 0x78, 0x75, 0x80, 0xf0, 0xe3, 0x3a, 0x65, 0x34];
        Assert.Equal("1CECHNKREP0F1RSTCMT0", Crockford.Encode(initial));
        Assert.True(Crockford.TryDecode("1CECHNKREP0F1RSTCMT0", 12, out var decoded));
        Assert.Equal(initial, decoded);
        Assert.Equal(13, Crockford.Encode(new byte[8]).Length);
    }

    [Theory]
    [InlineData("1CECHNKREP0F1RSTCMT")]   // too short
    [InlineData("1CECHNKREP0F1RSTCMTU")]  // U is not in the alphabet
    [InlineData("1CECHNKREP0F1RSTCMT1")]  // non-zero padding bits
    [InlineData("1cechnkrep0f1rstcmt0")]  // lower case is not the spelling used for file names
    public void Malformed_ids_are_not_snapshot_ids(string text) => Assert.False(SnapshotId.TryParse(text, out _));

    [Theory]
    [InlineData(null, "branch:main")]
    [InlineData("", "branch:main")]
    [InlineData("branch:dev", "branch:dev")]
    [InlineData("tag:it works!", "tag:it works!")]
    [InlineData("1CECHNKREP0F1RSTCMT0", "1CECHNKREP0F1RSTCMT0")]
    public void Refs_parse_from_their_spelling(string? text, string expected)
    {
        var reference = IcechunkRef.Parse(text);
        Assert.Equal(expected, reference.ToString());
        Assert.Equal(reference, IcechunkRef.Parse(reference.ToString()));
    }

    [Theory]
    [InlineData("main")]
    [InlineData("branch:")]
    [InlineData("branch:a/b")]
    [InlineData("tag:..")]
    [InlineData("tag:a\\b")]
    public void Malformed_refs_are_refused_with_what_is_accepted(string text)
    {
        var error = Assert.Throws<FormatException>(() => IcechunkRef.Parse(text));
        Assert.Contains(text.Contains(':', StringComparison.Ordinal) ? "not a valid" : "'branch:NAME', 'tag:NAME'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zarr.json", "meta /")]
    [InlineData("a/b/zarr.json", "meta /a/b")]
    [InlineData("a/b/c/1/20", "chunk /a/b 1,20")]
    [InlineData("c/0", "chunk / 0")]
    [InlineData("scalar/c", "chunk /scalar ")]
    [InlineData("c/c/3", "chunk /c 3")]
    [InlineData("a/b/c/x", null)]
    [InlineData("a/.zarray", null)]
    [InlineData("a/b/0.1", null)]
    public void Store_keys_name_metadata_or_chunks(string key, string? expected)
    {
        string? actual = ChunkKey.Parse(key) switch
        {
            MetadataKey m => "meta " + m.NodePath,
            ChunkKey c => $"chunk {c.NodePath} {string.Join(',', c.Coords)}",
            _ => null,
        };
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(100, 20, null, null, 100, 20)]
    [InlineData(100, 20, 5L, 10L, 105, 10)]
    [InlineData(100, 20, 15L, 10L, 115, 5)]
    [InlineData(100, 20, -8L, null, 112, 8)]
    [InlineData(100, 20, -50L, null, 100, 20)]
    public void A_range_of_a_chunk_maps_into_the_object_that_holds_it(ulong offset, ulong length, long? start, long? count, long expectedStart, long expectedLength)
    {
        ByteRange? range = start switch
        {
            null => null,
            < 0 => ByteRange.Suffix(-start.Value),
            _ => ByteRange.FromOffset(start.Value, count!.Value),
        };
        var window = ChunkWindow.Within(offset, length, range, "repo", "key");
        Assert.Equal((expectedStart, expectedLength), (window.Start, window.Length));
    }

    [Fact]
    public async Task The_metadata_cache_stays_within_its_byte_bound_and_shares_a_load()
    {
        var cache = new IcechunkMetadataCache(1000);
        int loads = 0;
        async Task<(string, long)> Load()
        {
            Interlocked.Increment(ref loads);
            await Task.Delay(20);
            return ("value", 400);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => cache.GetOrLoadAsync("a", Load, CancellationToken.None).AsTask()));
        Assert.All(results, r => Assert.Equal("value", r));
        Assert.Equal(1, loads);
        await cache.GetOrLoadAsync("b", Load, CancellationToken.None);
        await cache.GetOrLoadAsync("c", Load, CancellationToken.None);
        Assert.True(cache.Bytes <= 1000, $"{cache.Bytes} bytes held");
        await cache.GetOrLoadAsync("a", Load, CancellationToken.None);
        Assert.Equal(4, loads); // "a" was evicted as the least recently used
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetOrLoadAsync<string>("bad", () => throw new InvalidOperationException("boom"), CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetOrLoadAsync<string>("bad", () => throw new InvalidOperationException("boom"), CancellationToken.None).AsTask());
    }
}

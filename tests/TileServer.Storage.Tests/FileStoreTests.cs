using TileServer.Storage.Tests.Infrastructure;
using Xunit;

namespace TileServer.Storage.Tests;

public sealed class FileStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly byte[] _object = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();

    public FileStoreTests()
    {
        _folder.Write("root/a/c/0", _object);
        _folder.Write("root/empty", []);
        _folder.Write("secret.txt", [42]);
        _folder.Write("rootsibling/secret.txt", [43]);
    }

    public void Dispose() => _folder.Dispose();

    private FileStore Store => new(Path.Combine(_folder.Path, "root"));

    [Fact]
    public async Task Reads_whole_objects_ranges_and_suffixes()
    {
        Assert.Equal(_object, await Store.GetAsync("a/c/0"));
        Assert.Equal(_object.AsSpan(10, 5).ToArray(), await Store.GetAsync("a/c/0", ByteRange.FromOffset(10, 5)));
        Assert.Equal(_object.AsSpan(290).ToArray(), await Store.GetAsync("a/c/0", ByteRange.Suffix(10)));
        Assert.Equal(_object.AsSpan(295).ToArray(), await Store.GetAsync("a/c/0", ByteRange.FromOffset(295, 50)));
        Assert.Empty((await Store.GetAsync("empty"))!);
    }

    [Fact]
    public async Task MissingKeysFoldersAndRangesBeyondTheEnd_AreAbsent()
    {
        Assert.Null(await Store.GetAsync("a/c/1"));
        Assert.Null(await Store.GetAsync("nope/c/0"));
        Assert.Null(await Store.GetAsync("a"));
        Assert.Null(await Store.GetAsync("a/c/0", ByteRange.FromOffset(300, 1)));
    }

    [Fact]
    public async Task KeysEscapingTheRoot_AreRejected()
    {
        var ex = await Assert.ThrowsAsync<StoreException>(() => Store.GetAsync("../secret.txt").AsTask());
        Assert.Equal("../secret.txt", ex.Key);

        // A sibling folder whose name starts with the root's ('root' → 'rootsibling') is outside it too.
        var sibling = await Assert.ThrowsAsync<StoreException>(() => Store.GetAsync("../rootsibling/secret.txt").AsTask());
        Assert.Equal("../rootsibling/secret.txt", sibling.Key);
    }

    [Fact]
    public async Task Factory_opens_paths_and_file_uris()
    {
        using var factory = new ByteStoreFactory(new StoreOptions());
        var root = Path.Combine(_folder.Path, "root");

        Assert.Equal(_object, await factory.Open(root).GetAsync("a/c/0"));
        Assert.Equal(_object, await factory.Open(new Uri(root).AbsoluteUri).GetAsync("a/c/0"));
    }
}

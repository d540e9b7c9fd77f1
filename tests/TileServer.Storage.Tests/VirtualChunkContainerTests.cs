using Xunit;

namespace TileServer.Storage.Tests;

/// <summary>Which references a list of virtual chunk containers lets through, and how a bad list is reported.</summary>
public sealed class VirtualChunkContainerTests
{
    [Fact]
    public void Every_problem_with_a_list_is_reported_at_once()
    {
        var errors = VirtualChunkContainer.Validate(
        [
            new VirtualChunkContainer { Prefix = "s3://bucket", Location = "/data" },
            new VirtualChunkContainer { Prefix = "bucket/path/", Location = "/data" },
            new VirtualChunkContainer { Prefix = "s3://b/p/", Location = "" },
            new VirtualChunkContainer { Prefix = "s3://b/p/", Location = "/data" },
            new VirtualChunkContainer { Prefix = "s3://c/", Location = "ftp://host/x" },
            new VirtualChunkContainer { Prefix = "s3://d/", Location = "s3:///no-bucket" },
        ]);
        Assert.Equal(6, errors.Count);
        Assert.Contains(errors, e => e.Contains("Containers:0:Prefix 's3://bucket'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Containers:1:Prefix", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Containers:2:Location is empty", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("configured twice", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Containers:4:Location 'ftp://host/x'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Containers:5:Location", StringComparison.Ordinal));
        using var factory = new ByteStoreFactory(new StoreOptions());
        Assert.Throws<ArgumentException>(() => new VirtualChunkContainers([new VirtualChunkContainer { Prefix = "s3://x", Location = "/d" }], factory));
        Assert.Contains(StoreOptionsValidation.Validate(new StoreOptions { VirtualChunkContainers = [new VirtualChunkContainer { Prefix = "x", Location = "/d" }] }),
            e => e.StartsWith("TileServer:VirtualChunks:Containers:0:Prefix", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("s3://bucket/a/x.nc", "/wide", "a/x.nc")]
    [InlineData("s3://bucket/narrow/x.nc", "/narrow", "x.nc")]
    [InlineData("s3://bucket/narrow/sub/x.nc", "/narrow", "sub/x.nc")]
    [InlineData("s3://bucket-other/x.nc", null, null)]
    [InlineData("s3://bucket/", null, null)]
    [InlineData("s3://bucket/a/../../x", null, null)]
    [InlineData("s3://bucket/a//x", null, null)]
    [InlineData("https://bucket/a/x.nc", null, null)]
    [InlineData("/local/x.nc", "/files", "x.nc")]
    [InlineData("/local/../etc/x", null, null)]
    public void A_url_maps_to_the_longest_matching_container(string url, string? location, string? key)
    {
        using var factory = new ByteStoreFactory(new StoreOptions());
        var containers = new VirtualChunkContainers(
        [
            new VirtualChunkContainer { Prefix = "s3://bucket/", Location = "/wide" },
            new VirtualChunkContainer { Prefix = "s3://bucket/narrow/", Location = "/narrow" },
            new VirtualChunkContainer { Prefix = "file:///local/", Location = "/files" },
        ], factory);

        bool found = containers.TryResolve(url, out var store, out var objectKey);
        Assert.Equal(location is not null, found);
        if (found)
        {
            Assert.Equal(location, store!.Location);
            Assert.Equal(key, objectKey);
        }
    }

    [Fact]
    public void No_containers_refuse_everything()
    {
        Assert.Equal(0, VirtualChunkContainers.None.Count);
        Assert.False(VirtualChunkContainers.None.TryResolve("s3://any/x", out _, out _));
    }
}

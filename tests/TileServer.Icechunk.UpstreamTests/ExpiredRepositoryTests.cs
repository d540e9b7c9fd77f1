using TileServer.Icechunk.Tests.Infrastructure;
using TileServer.Storage;
using Xunit;

namespace TileServer.Icechunk.UpstreamTests;

/// <summary>
/// Upstream's repositories after two rounds of snapshot expiration and garbage collection, written by icechunk
/// 1.1.21, 2.0.5 and a 2.1 working copy (upstream's tests/data_generation/generate_expired_repos.py), checked
/// against do_read_expired_repo in test_can_read_old.py: surviving refs, re-parented histories, main's data.
/// </summary>
public sealed class ExpiredRepositoryTests
{
    public static readonly TheoryData<string> Repos = new()
    {
        "expire-repo-v1-by-1.1.21", "expire-repo-v1-by-2.0.5", "expire-repo-v1-by-working-copy",
        "expire-repo-v2-by-2.0.5", "expire-repo-v2-by-working-copy",
    };

    [Theory]
    [MemberData(nameof(Repos))]
    public async Task Surviving_refs_show_the_rewritten_history(string repo)
    {
        var repository = new IcechunkRepository(new FileStore(UpstreamData.Repository(repo)));
        (IcechunkRef Ref, string[] History)[] expected =
        [
            (IcechunkRef.MainBranch, ["write j", "Repository initialized"]),
            (IcechunkRef.Branch("feature"), ["feature post-t2", "Repository initialized"]),
            (IcechunkRef.Tag("protect-b"), ["write b", "Repository initialized"]),
        ];
        foreach (var (reference, history) in expected)
        {
            var id = await repository.ResolveAsync(reference);
            Assert.Equal(history, (await repository.AncestryAsync(id)).Select(s => s.Message));
        }

        foreach (var gone in new[] { "doomed1", "doomed2" })
        {
            await Assert.ThrowsAsync<NotFoundException>(() => repository.ResolveAsync(IcechunkRef.Branch(gone)).AsTask());
        }
    }

    [Theory]
    [MemberData(nameof(Repos))]
    public async Task Main_reads_the_data_of_its_last_commit(string repo)
    {
        var repository = new IcechunkRepository(new FileStore(UpstreamData.Repository(repo)));
        var store = await repository.OpenAsync(IcechunkRef.MainBranch);
        var data = await ArrayReader.ReadAllAsync(store, "group1/data");
        var hierarchy = await Zarr.ZarrHierarchy.OpenAsync(store, new Zarr.ZarrReaderOptions());
        var shape = (await hierarchy.GetArrayAsync("group1/data"))!.Metadata.Shape;
        long columns = shape.Count > 1 ? shape[1] : 1;
        // j churned row 0 to 99; a..i churned rows 1..8 to their index; rows 9..11 stay 0.
        Assert.Equal(99, data[0 * columns]);
        Assert.Equal(5, data[5 * columns]);
        Assert.Equal(8, data[8 * columns]);
        Assert.Equal(0, data[11 * columns]);
        Assert.All(await ArrayReader.ReadAllAsync(store, "group1/small"), v => Assert.Equal(0, v));
    }
}

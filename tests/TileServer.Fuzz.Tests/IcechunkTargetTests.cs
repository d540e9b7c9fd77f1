using TileServer.Fuzz.Targets;
using Xunit;

namespace TileServer.Fuzz.Tests;

/// <summary>
/// The Icechunk target stores its payloads uncompressed behind the fixture's own headers: unchanged, every seed must
/// read the whole repository, or mutations would only ever meet the first check that fails.
/// </summary>
public sealed class IcechunkTargetTests
{
    [Fact]
    public void Every_seed_reads_the_fixture_repository_without_error()
    {
        var target = (IcechunkTarget)FuzzTargets.Get("icechunk");

        Assert.Equal(9, target.Seeds.Count);
        Assert.All(target.Seeds, target.Read);
    }
}

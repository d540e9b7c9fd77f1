using System.Text;
using TileServer.Fuzz.Targets;
using Xunit;

namespace TileServer.Fuzz.Tests;

/// <summary>
/// The WMS target's seeds must reach past the layer lookup: every valid GetMap seed names a demo layer that opens and
/// parses into a map request, so mutations start from requests the server would draw.
/// </summary>
public sealed class WmsTargetTests
{
    [Fact]
    public void Valid_GetMap_seeds_parse_against_the_demo_datasets()
    {
        var target = (WmsTarget)FuzzTargets.Get("wms");
        var getMaps = target.Seeds.Select(s => Encoding.UTF8.GetString(s))
            .Where(s => s.Contains("REQUEST=GetMap", StringComparison.Ordinal) && s.Contains("VERSION=1.3.0", StringComparison.Ordinal))
            .ToArray();

        Assert.Equal(5, getMaps.Length);
        Assert.All(getMaps, s => Assert.True(target.ParseMap(s).Width > 0, s));
    }
}

namespace TileServer.Rendering.Tests;

public class ColormapRegistryTests
{
    private static readonly ColormapRegistry Registry = new();

    public static TheoryData<string> RequiredNames => new()
    {
        "viridis", "plasma", "inferno", "magma", "cividis", "turbo", "gray", "greys", "terrain", "coolwarm",
        "rdbu", "rdylbu", "spectral", "brbg", "puor", "ylgnbu", "blues", "reds", "greens", "jet",
        "thermal", "haline", "deep", "balance", "ice", "solar", "speed", "amp", "tempo", "algae",
    };

    [Theory]
    [MemberData(nameof(RequiredNames))]
    public void Required_maps_are_present_with_256_entries(string name)
    {
        Assert.Contains(name, Registry.Names);
        Assert.True(Registry.TryGet(name, out var map));
        Assert.Equal(name, map.Name);
        Assert.Equal(256, map.Entries.Length);
        Assert.Equal(1024, map.Rgba.Length);
    }

    // Published endpoint values: matplotlib's _cm_listed.py tables (viridis, magma, inferno, plasma, cividis, turbo)
    // and ColorBrewer / matplotlib for the rest; cmocean's own rgb/thermal-rgb.txt for thermal.
    [Theory]
    [InlineData("viridis", 0, "#440154")]
    [InlineData("viridis", 255, "#fde725")]
    [InlineData("magma", 0, "#000004")]
    [InlineData("magma", 255, "#fcfdbf")]
    [InlineData("inferno", 255, "#fcffa4")]
    [InlineData("plasma", 0, "#0d0887")]
    [InlineData("plasma", 255, "#f0f921")]
    [InlineData("turbo", 0, "#30123b")]
    [InlineData("turbo", 255, "#7a0403")]
    [InlineData("gray", 0, "#000000")]
    [InlineData("gray", 255, "#ffffff")]
    [InlineData("greys", 0, "#ffffff")]
    [InlineData("greys", 255, "#000000")]
    [InlineData("jet", 0, "#000080")]
    [InlineData("jet", 255, "#800000")]
    [InlineData("rdbu", 0, "#67001f")]
    [InlineData("rdbu", 255, "#053061")]
    [InlineData("blues", 255, "#08306b")]
    [InlineData("thermal", 0, "#042333")]
    public void Endpoints_match_published_values(string name, int index, string hex)
    {
        Assert.True(Registry.TryGet(name, out var map));
        Assert.True(RgbaColor.TryParseHex(hex, out var expected));
        Assert.Equal(expected, map[index]);
    }

    [Fact]
    public void Thermal_matches_cmocean_float_table_within_rounding()
    {
        // cmocean rgb/thermal-rgb.txt, first and last rows (floats 0..1).
        Assert.True(Registry.TryGet("thermal", out var map));
        AssertClose(map[0], 1.555601333154079877e-02, 1.382442454646408414e-01, 2.018108864558305071e-01);
        AssertClose(map[34], 1.089944270249512126e-01, 2.028088855832538839e-01, 5.082270885561682716e-01);
    }

    [Fact]
    public void Reversed_suffix_gives_the_reversed_table_case_insensitively()
    {
        Assert.True(Registry.TryGet("viridis", out var map));
        Assert.True(Registry.TryGet("Viridis_R", out var reversed));
        Assert.Equal("viridis_r", reversed.Name);
        for (var i = 0; i < 256; i++) Assert.Equal(map[i], reversed[255 - i]);
        Assert.Equal("viridis", reversed.Reversed().Name);
        Assert.True(reversed.Reversed().Entries.SequenceEqual(map.Entries));
        Assert.True(Registry.TryGet("RdBu", out var rdbu));
        Assert.Equal("rdbu", rdbu.Name);
    }

    [Fact]
    public void Unknown_name_is_not_found()
    {
        Assert.False(Registry.TryGet("no-such-map", out _));
        Assert.False(Registry.TryGet("viridis_r_r", out _));
    }

    [Fact]
    public void Names_are_sorted_and_unique()
    {
        Assert.Equal(Registry.Names.OrderBy(n => n, StringComparer.Ordinal), Registry.Names);
        Assert.Equal(Registry.Names.Count, Registry.Names.Distinct().Count());
        Assert.True(Registry.Names.Count >= 40);
    }

    private static void AssertClose(RgbaColor c, double r, double g, double b)
    {
        Assert.InRange(c.R, (r * 255) - 1, (r * 255) + 1);
        Assert.InRange(c.G, (g * 255) - 1, (g * 255) + 1);
        Assert.InRange(c.B, (b * 255) - 1, (b * 255) + 1);
        Assert.Equal(255, c.A);
    }
}

namespace TileServer.Tiling;

public enum ResamplingMethod
{
    Nearest,
    Bilinear,
    Cubic,
    Average,
    Mode,
}

/// <summary>Resampling method names as requests and configuration write them (GDAL/TiTiler names and common aliases).</summary>
public static class ResamplingMethods
{
    public static IReadOnlyList<string> Names { get; } = ["nearest", "bilinear", "cubic", "average", "mode"];

    public static bool TryParse(string text, out ResamplingMethod method)
    {
        ResamplingMethod? parsed = text.Trim().ToLowerInvariant() switch
        {
            "nearest" or "near" => ResamplingMethod.Nearest,
            "bilinear" => ResamplingMethod.Bilinear,
            "cubic" or "bicubic" => ResamplingMethod.Cubic,
            "average" => ResamplingMethod.Average,
            "mode" => ResamplingMethod.Mode,
            _ => null,
        };
        method = parsed ?? ResamplingMethod.Nearest;
        return parsed is not null;
    }

    public static string Name(this ResamplingMethod method) => Names[(int)method];
}

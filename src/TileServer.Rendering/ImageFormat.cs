namespace TileServer.Rendering;

/// <summary>Output formats of a rendered tile.</summary>
public enum ImageFormat
{
    Png,
    Webp,
    Jpeg,
    Npy,
}

public static class ImageFormats
{
    /// <summary>Parses a URL extension or format name ("png", "webp", "jpg", "jpeg", "npy"), case-insensitively.</summary>
    public static bool TryParse(string? text, out ImageFormat format)
    {
        switch (text?.ToLowerInvariant())
        {
            case "png": format = ImageFormat.Png; return true;
            case "webp": format = ImageFormat.Webp; return true;
            case "jpg" or "jpeg": format = ImageFormat.Jpeg; return true;
            case "npy": format = ImageFormat.Npy; return true;
            default: format = default; return false;
        }
    }

    public static string ContentType(this ImageFormat format) => Describe(format).ContentType;

    /// <summary>The canonical file extension, without a dot.</summary>
    public static string FileExtension(this ImageFormat format) => Describe(format).Extension;

    private static (string ContentType, string Extension) Describe(ImageFormat format) => format switch
    {
        ImageFormat.Png => ("image/png", "png"),
        ImageFormat.Webp => ("image/webp", "webp"),
        ImageFormat.Jpeg => ("image/jpeg", "jpg"),
        ImageFormat.Npy => ("application/x-npy", "npy"),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown image format"),
    };
}

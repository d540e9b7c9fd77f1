namespace TileServer.Documents;

/// <summary>
/// <c>TileServer:Wmts</c>: which colormaps single-band WMTS layers advertise as styles besides <c>default</c>.
/// GDAL lists one subdataset per layer × TileMatrixSet × style, so advertising all ~40 colormaps makes the
/// capabilities long and GDAL's subdataset list unwieldy; <c>["*"]</c> advertises all of them. GetTile accepts
/// any known colormap name (also <c>_r</c> reversed) as STYLE, advertised or not.
/// </summary>
public sealed record WmtsOptions
{
    public const string SectionName = "TileServer:Wmts";

    /// <summary>Used when <see cref="Styles"/> is not configured (a list initialiser would be appended to by the binder).</summary>
    public static readonly IReadOnlyList<string> DefaultStyles = ["viridis", "magma", "cividis", "turbo", "rdbu_r", "greys"];

    public IReadOnlyList<string>? Styles { get; init; }
}

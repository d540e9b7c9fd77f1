namespace TileServer.Rendering;

/// <summary>
/// A colormap the renderer can apply to single-band data: a 256-entry <see cref="Colormap"/> looked up by the
/// rescaled value, or an <see cref="IntervalColormap"/> that classifies raw values.
/// </summary>
public interface IColormap
{
    string Name { get; }
}

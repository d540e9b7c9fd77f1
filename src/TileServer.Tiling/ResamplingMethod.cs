namespace TileServer.Tiling;

public enum ResamplingMethod
{
    Nearest,
    Bilinear,
    Cubic,
    Average,
    Mode,
}

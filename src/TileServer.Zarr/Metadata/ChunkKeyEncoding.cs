using System.Text;

namespace TileServer.Zarr.Metadata;

/// <summary>
/// How grid coordinates become store keys: v3 "default" (<c>c/1/2</c>, 0-d <c>c</c>) or "v2" (<c>1.2</c>, 0-d <c>0</c>),
/// with '/' or '.' as separator.
/// </summary>
internal sealed record ChunkKeyEncoding(bool DefaultPrefix, char Separator)
{
    public static ChunkKeyEncoding V2(char separator) => new(false, separator);

    public string Key(ReadOnlySpan<long> coords)
    {
        if (coords.Length == 0)
        {
            return DefaultPrefix ? "c" : "0";
        }

        var sb = new StringBuilder(DefaultPrefix ? "c" : "");
        for (int i = 0; i < coords.Length; i++)
        {
            if (i > 0 || DefaultPrefix)
            {
                sb.Append(Separator);
            }

            sb.Append(coords[i]);
        }

        return sb.ToString();
    }
}

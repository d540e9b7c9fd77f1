using System.Security.Cryptography;
using System.Text;
using TileServer.GeoZarr;

namespace TileServer.Reading.Catalog;

/// <summary>
/// A stable hash of what a dataset's served bytes depend on: its metadata, its configuration, the server's reading
/// and rendering options (<c>TileServer:Tiles</c>: level bias, warp error and the like change pixels) and, for a
/// versioned store, the version read (an Icechunk snapshot id: a new commit changes chunks without changing any metadata).
/// </summary>
internal static class DatasetVersion
{
    public static string Compute(GeoDataset dataset, DatasetDefinition definition, string? storeVersion = null, ReaderOptions? options = null)
    {
        var sb = new StringBuilder();
        sb.Append(dataset.Id).Append('|').Append(definition.Fingerprint).Append('|').Append(storeVersion).Append('|').Append(dataset.Attributes.ToJsonString());
        sb.Append('|').Append(System.Text.Json.JsonSerializer.Serialize(options ?? new ReaderOptions()));
        foreach (var level in dataset.Levels)
        {
            sb.Append('|').Append(level.Path).Append(':').Append(level.Grid.Width).Append('x').Append(level.Grid.Height)
              .Append(string.Join(",", level.Grid.Transform.ToGdal()));
            if (level.Grid.Kind != Crs.GridKind.Regular)
            {
                // Irregular and curvilinear cells are placed by coordinates the transform does not capture.
                sb.Append('|').Append(level.Grid.Kind).Append(':').Append(level.Grid.CoordinateDigest);
            }

            foreach (var (name, v) in level.Variables)
            {
                sb.Append('|').Append(name).Append(string.Join(",", v.Array.Metadata.Shape)).Append(v.Array.Metadata.Attributes.ToJsonString())
                  .Append(v.Array.Metadata.CodecSummary).Append(v.Array.Metadata.DataType);
            }
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString()));
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }
}

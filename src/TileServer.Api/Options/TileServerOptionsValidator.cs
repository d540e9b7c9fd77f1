using Microsoft.Extensions.Options;

namespace TileServer.Api.Options;

/// <summary>Checks the whole configuration at startup and reports every problem at once, saying how to fix it.</summary>
public sealed class TileServerOptionsValidator : IValidateOptions<TileServerOptions>
{
    public ValidateOptionsResult Validate(string? name, TileServerOptions options)
    {
        var errors = new List<string>();
        foreach (var (id, ds) in options.Datasets)
        {
            if (!IsValidId(id))
            {
                errors.Add($"TileServer:Datasets:{id}: dataset ids may contain only letters, digits, '-', '_' and '.'");
            }

            if (string.IsNullOrWhiteSpace(ds.Path))
            {
                errors.Add($"TileServer:Datasets:{id}:Path is empty; give a folder, http(s):// or s3:// URL of a Zarr store");
            }
        }

        foreach (var file in options.TileMatrixSetFiles)
        {
            if (!File.Exists(file))
            {
                errors.Add($"TileServer:TileMatrixSetFiles: '{file}' does not exist; give the path of an OGC TMS 2.0 JSON file");
            }
        }

        if (options.Cache.ChunkCacheBytes < 0)
        {
            errors.Add("TileServer:Cache:ChunkCacheBytes must be >= 0 (0 disables the chunk cache)");
        }

        if (options.Tiles.MaxTileSize is < 256 or > 4096)
        {
            errors.Add("TileServer:Tiles:MaxTileSize must be between 256 and 4096");
        }

        if (options.Tiles.MaxSourcePixelsPerTile < 65536)
        {
            errors.Add("TileServer:Tiles:MaxSourcePixelsPerTile must be at least 65536");
        }

        if (!(options.Tiles.LevelBias > 0))
        {
            errors.Add("TileServer:Tiles:LevelBias must be > 0");
        }

        if (!(options.Tiles.ApproxErrorPixels is > 0 and <= 1))
        {
            errors.Add("TileServer:Tiles:ApproxErrorPixels must be in (0, 1]");
        }

        if (options.Retry.MaxAttempts < 1)
        {
            errors.Add("TileServer:Retry:MaxAttempts must be >= 1");
        }

        errors.AddRange(TileServer.Storage.StoreOptionsValidation.Validate(new TileServer.Storage.StoreOptions { S3 = options.S3, Http = options.Http, Retry = options.Retry })
            .Select(e => "TileServer: " + e));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static bool IsValidId(string id)
        => id.Length is > 0 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}

using TileServer.Api.Catalog;
using TileServer.Api.Errors;

namespace TileServer.Api.Endpoints;

internal static class DatasetLookup
{
    /// <summary>The open dataset for an id: 404 when not configured, 503 (with the reason) when it failed to open.</summary>
    public static async Task<DatasetEntry> RequireOpenAsync(this DatasetCatalog catalog, string id, CancellationToken cancellationToken)
    {
        var entry = await catalog.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw ApiProblemException.UnknownDataset(id);
        if (entry.Dataset is null)
        {
            throw new ApiProblemException(StatusCodes.Status503ServiceUnavailable, "Dataset unavailable", $"Dataset '{id}' could not be opened: {entry.Error}");
        }

        return entry;
    }
}

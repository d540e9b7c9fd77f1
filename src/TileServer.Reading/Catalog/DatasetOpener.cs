using TileServer.GeoZarr;
using TileServer.Tiling;
using TileServer.Zarr;

namespace TileServer.Reading.Catalog;

/// <summary>
/// Opens a <see cref="DatasetDefinition"/> into a <see cref="DatasetReader"/>: the store (Zarr, or a snapshot of an
/// Icechunk repository), the Zarr hierarchy, the georeferenced dataset, its TileMatrixSets and its version. Throws the layers' own exceptions;
/// <see cref="DatasetCatalog"/> turns any failure into "unavailable, and why".
/// </summary>
public sealed class DatasetOpener(DatasetSources sources, ZarrReaderOptions zarr, GeoDatasetReader geo, TileMatrixSetRegistry tileMatrixSets, ReaderServices services)
{
    private readonly DatasetSources _sources = sources;
    private readonly ZarrReaderOptions _zarr = zarr;
    private readonly GeoDatasetReader _geo = geo;
    private readonly TileMatrixSetRegistry _tileMatrixSets = tileMatrixSets;
    private readonly ReaderServices _services = services;

    public async Task<DatasetReader> OpenAsync(DatasetDefinition definition, List<string> notes, CancellationToken cancellationToken)
    {
        var source = await _sources.OpenAsync(definition.Path, definition.Store, definition.Ref, cancellationToken).ConfigureAwait(false);
        if (source.Kind == DatasetStoreKind.Icechunk)
        {
            notes.Add(source.Description);
        }

        var zarr = await ZarrHierarchy.OpenAsync(source.Store, _zarr, cancellationToken).ConfigureAwait(false);
        var dataset = await _geo.OpenAsync(zarr, new GeoDatasetOptions
        {
            Id = definition.Id,
            Title = definition.Title,
            Attribution = definition.Attribution,
            Variables = definition.Variables,
            Crs = definition.Crs,
            Nodata = definition.Nodata,
            MaxGridIndexBytes = _services.Options.MaxGridIndexBytes,
        }, cancellationToken).ConfigureAwait(false);
        if (definition.DefaultVariable is { } dv && dataset.FindVariable(dv) is null)
        {
            throw new GeoDatasetException($"DefaultVariable '{dv}' is not a data variable of the dataset (it has: {string.Join(", ", dataset.VariableNames)})");
        }

        if (definition.Description is not null)
        {
            dataset = dataset with { Description = definition.Description };
        }

        var declared = new List<TileMatrixSet>();
        if (dataset.InlineTileMatrixSet is { } inline)
        {
            // A pyramid that brings its own TileMatrixSet: offered with this dataset, like a registered one.
            var tms = _tileMatrixSets.FromJson(inline);
            declared.Add(tms);
            notes.Add($"declares TileMatrixSet '{tms.Id}' inline");
        }

        notes.AddRange(dataset.Notes);
        var geography = DatasetGeography.Compute(dataset, _services.Crs);
        return new DatasetReader(definition, dataset, DatasetVersion.Compute(dataset, definition, source.Version, _services.Options), geography,
            new DatasetTileMatrixSets(_tileMatrixSets, declared), _services, source.Store.Location);
    }
}

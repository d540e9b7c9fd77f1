namespace TileServer.Api.Catalog;

/// <summary>Opens every dataset at startup so that problems show in the log at once and /readyz can answer.</summary>
public sealed class CatalogWarmup : BackgroundService
{
    private readonly DatasetCatalog _catalog;

    public CatalogWarmup(DatasetCatalog catalog)
    {
        _catalog = catalog;
    }

    public bool Completed { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _catalog.GetAllAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        Completed = true;
    }
}

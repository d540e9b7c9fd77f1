using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Icechunk;
using TileServer.Reading.Catalog;
using TileServer.Reading.Inspection;
using TileServer.Storage;
using TileServer.Tiling;
using TileServer.Zarr;

namespace TileServer.Reading;

/// <summary>Registers the data side — stores, Zarr, GeoZarr, TileMatrixSets, readers and the catalog — from section <c>TileServer</c>.</summary>
public static class ReadingServiceCollectionExtensions
{
    public const string StoreHttpClient = "stores";

    public static IServiceCollection AddDataReading(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DataOptions>().Bind(configuration.GetSection(DataOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DataOptions>, DataOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DataOptions>>().Value.Tiles);
        services.AddSingleton(sp => new Load.RenderGate(sp.GetRequiredService<IOptions<DataOptions>>().Value.Renders));

        // One pooled client for every HTTP store (StoreHttpHandler: keep-alive, connections sized for read concurrency,
        // HTTP/2 where offered, no automatic decompression); the stores apply their own per-request timeout.
        services.AddHttpClient(StoreHttpClient)
            .ConfigurePrimaryHttpMessageHandler(sp => StoreHttpHandler.Create(sp.GetRequiredService<IOptions<DataOptions>>().Value.Http))
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton(sp => new StoreHealthRegistry(sp.GetService<TimeProvider>()));
        services.AddSingleton(sp => new StoreHealthView(sp.GetRequiredService<StoreHealthRegistry>()));
        services.AddSingleton<IByteStoreFactory>(sp => new ByteStoreFactory(
            sp.GetRequiredService<IOptions<DataOptions>>().Value.Stores,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(StoreHttpClient),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<StoreHealthRegistry>()));
        // One set of virtual chunk containers and one metadata cache for every Icechunk repository served.
        services.AddSingleton(sp => new VirtualChunkResolver(
            sp.GetRequiredService<IOptions<DataOptions>>().Value.VirtualChunks.Containers,
            sp.GetRequiredService<IByteStoreFactory>()));
        services.AddSingleton(sp => new IcechunkMetadataCache(sp.GetRequiredService<IOptions<DataOptions>>().Value.Cache.IcechunkMetadataBytes));
        services.AddSingleton<DatasetSources>();
        services.AddSingleton(sp => new ChunkCache(sp.GetRequiredService<IOptions<DataOptions>>().Value.Cache.ChunkCacheBytes));
        services.AddSingleton(sp =>
        {
            var data = sp.GetRequiredService<IOptions<DataOptions>>().Value;
            var cache = data.Cache;
            // Consolidated metadata is checked against each array's own document once per open, so a stale summary cannot draw made-up geometry.
            var options = new ZarrReaderOptions
            {
                Cache = sp.GetRequiredService<ChunkCache>(),
                VerifyConsolidatedMetadata = true,
                MaxConcurrentReads = data.Concurrency.MaxReadsPerRequest,
            };
            return cache.ShardRangeCoalesceGapBytes is { } gap ? options with { RangeCoalesceGap = gap } : options;
        });
        services.AddSingleton<CrsRegistry>();
        services.AddSingleton<GeoDatasetReader>();
        services.AddSingleton(sp =>
        {
            var files = sp.GetRequiredService<IOptions<DataOptions>>().Value.TileMatrixSetFiles ?? [];
            var custom = files.Select(f => JsonNode.Parse(File.ReadAllText(f)) as JsonObject
                ?? throw new OptionsValidationException(DataOptions.SectionName, typeof(DataOptions), [$"TileMatrixSetFiles: '{f}' is not a JSON object"]));
            return new TileMatrixSetRegistry(sp.GetRequiredService<CrsRegistry>(), custom.ToList());
        });
        services.AddSingleton(sp => new ReaderServices(
            sp.GetRequiredService<CrsRegistry>(),
            sp.GetRequiredService<ReaderOptions>(),
            sp.GetRequiredService<IOptions<DataOptions>>().Value.DefaultStretch,
            sp.GetRequiredService<StoreHealthView>(),
            sp.GetService<TimeProvider>()));
        services.AddSingleton<DatasetOpener>();
        services.AddSingleton<StoreInspector>();
        services.AddHostedService<CatalogMaintenance>();
        services.AddSingleton(sp =>
        {
            var catalog = ActivatorUtilities.CreateInstance<DatasetCatalog>(sp);
            catalog.SetDefinitions(sp.GetRequiredService<IOptions<DataOptions>>().Value.Definitions());
            return catalog;
        });
        return services;
    }

    private sealed class DataOptionsValidator : IValidateOptions<DataOptions>
    {
        public ValidateOptionsResult Validate(string? name, DataOptions options)
        {
            var errors = options.Validate().ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

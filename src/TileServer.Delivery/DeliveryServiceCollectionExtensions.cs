using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TileServer.Delivery.Cache;
using TileServer.Delivery.Tiles;
using TileServer.Rendering;

namespace TileServer.Delivery;

/// <summary>
/// Registers tile delivery: the renderers and colormaps, <see cref="TileService"/>, and the rendered-tile cache from
/// section <c>TileServer:TileCache</c> (validated at startup).
/// </summary>
public static class DeliveryServiceCollectionExtensions
{
    public static IServiceCollection AddTileDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<TileRenderer>();
        services.AddSingleton<ColormapRegistry>();
        services.AddSingleton<LegendRenderer>();
        services.AddSingleton<TileService>();
        services.AddOptions<TileCacheOptions>().Bind(configuration.GetSection(TileCacheOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TileCacheOptions>, TileCacheOptionsValidator>();
        services.AddSingleton(sp => new TileCache(sp.GetRequiredService<IOptions<TileCacheOptions>>().Value, sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }

    private sealed class TileCacheOptionsValidator : IValidateOptions<TileCacheOptions>
    {
        public ValidateOptionsResult Validate(string? name, TileCacheOptions options)
        {
            var errors = options.Validate().ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TileServer.Documents.Requests;
using TileServer.Documents.Viewer;
using TileServer.Documents.Wms;
using TileServer.Documents.Wmts;

namespace TileServer.Documents;

/// <summary>
/// Registers the documents side: the layers the OGC services offer, WMTS and WMS (options from sections
/// <c>TileServer:Wmts</c> and <c>TileServer:Wms</c>, requests, capabilities), area requests and the viewer's files.
/// </summary>
public static class DocumentServiceCollectionExtensions
{
    public static IServiceCollection AddDocuments(this IServiceCollection services)
    {
        services.AddSingleton<StandardLayerCatalog>();
        services.AddOptions<WmtsOptions>().BindConfiguration(WmtsOptions.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WmtsOptions>>().Value);
        services.AddSingleton<WmtsCapabilitiesWriter>();
        services.AddSingleton<WmtsRequests>();
        services.AddOptions<WmsOptions>().BindConfiguration(WmsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WmsOptions>, WmsOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WmsOptions>>().Value);
        services.AddSingleton<WmsCrs>();
        services.AddSingleton<WmsRequests>();
        services.AddSingleton<WmsCapabilitiesWriter>();
        services.AddSingleton<AreaRequests>();
        services.AddSingleton<ViewerAssets>();
        return services;
    }
}

using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TileServer.Api;
using TileServer.Documents.Requests;
using TileServer.Documents.Wms;
using TileServer.Reading.Catalog;

namespace TileServer.Fuzz.Targets;

/// <summary>
/// A WMS 1.3.0 request's query string through <see cref="WmsRequests"/> (EXCEPTIONS, VERSION, GetMap, GetFeatureInfo,
/// GetLegendGraphic, the in-image exception's size) against the demo datasets (data/demo), opened by the server's own
/// services, then the tile parameters a map request passes on (<see cref="LayerQuery.Parse"/>). Each operation is
/// checked on its own, so that a failure in one does not hide the others.
/// </summary>
public sealed class WmsTarget : FuzzTarget
{
    private Services? _services;

    public override string Name => "wms";
    public override string Contract => "WmsRequests (ExceptionFormat, CheckVersion, ParseMap, ParseFeatureInfo, ParseLegend, ExceptionImage) + LayerQuery: WmsException, BadRequestException (our error kinds) only";
    public override InputKind Kind => InputKind.Text;

    private Services Server => _services ??= Services.Open();

    public override void Run(byte[] input)
    {
        var server = Server;
        var query = new QueryCollection(QueryHelpers.ParseQuery(Encoding.UTF8.GetString(input)));
        long bound = Invariants.TextBound(input.Length);
        WmsParameters? parameters = null;
        Invariants.Check(Name, bound, IsWmsError, () => parameters = new WmsParameters(query));
        if (parameters is not { } p)
        {
            return;
        }

        Invariants.Check(Name, bound, IsWmsError, () => WmsRequests.ExceptionFormat(p));
        Invariants.Check(Name, bound, IsWmsError, () => WmsRequests.CheckVersion(p));
        Invariants.Check(Name, bound, IsWmsError, () => server.Requests.ExceptionImage(p));
        Invariants.Check(Name, bound, IsWmsError, () =>
        {
            var map = server.Requests.ParseMap(p, server.Entries);
            LayerQuery.Parse(new RequestParameters(query), map.Layer, map.Style, map.Selections).Normalized();
        });
        Invariants.Check(Name, bound, IsWmsError, () => server.Requests.ParseFeatureInfo(p, server.Entries));
        Invariants.Check(Name, bound, IsWmsError, () => server.Requests.ParseLegend(p, server.Entries));
    }

    /// <summary>What the WMS handler reports as a ServiceException: its own, and the tile parameters' 400s.</summary>
    private static bool IsWmsError(Exception ex) => ex is WmsException || Invariants.IsOwnError(ex);

    /// <summary>For tests: the map part of a request, or what the parser threw.</summary>
    public WmsMapRequest ParseMap(string queryString)
        => Server.Requests.ParseMap(new WmsParameters(new QueryCollection(QueryHelpers.ParseQuery(queryString))), Server.Entries);

    protected override IReadOnlyList<byte[]> LoadSeeds()
        => File.ReadAllLines(RepositoryFiles.PathOf("tests/fuzz/seeds/wms/requests.txt")).Where(l => l.Length > 0).Select(FixtureJson.Utf8).ToArray();

    /// <summary>The server's services over the demo datasets, opened once: the fuzzed part is the request, not the catalog.</summary>
    private sealed record Services(WmsRequests Requests, IReadOnlyList<DatasetEntry> Entries)
    {
        public static Services Open()
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["TileServer:IncludeDemoDatasets"] = "true",
                ["TileServer:DemoDataPath"] = RepositoryFiles.PathOf("data/demo"),
            }).Build();
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton<IConfiguration>(configuration);
            TileServerApp.AddServices(services, configuration);
            var provider = services.BuildServiceProvider();
            var entries = provider.GetRequiredService<DatasetCatalog>().GetAllAsync(CancellationToken.None).GetAwaiter().GetResult();
            if (entries.FirstOrDefault(e => e.Reader is null) is { } broken)
            {
                throw new InvalidOperationException($"demo dataset '{broken.Id}' did not open: {broken.Error}");
            }

            return new Services(provider.GetRequiredService<WmsRequests>(), entries);
        }
    }
}

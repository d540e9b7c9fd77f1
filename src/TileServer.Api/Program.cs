using Serilog;
using TileServer.Api;
using TileServer.Api.Commands;

if (args is ["healthcheck", ..])
{
    // Container HEALTHCHECK without curl in the image: GET /healthz on the local port.
    return await HealthProbe.RunAsync(args.Length > 1 ? args[1] : null);
}

if (args is ["inspect", ..])
{
    // What the server sees in a store, as gdalinfo does for rasters; see InspectCommand.Usage.
    using var interrupt = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        interrupt.Cancel();
    };
    await using var stdout = Console.OpenStandardOutput();
    return await InspectCommand.RunAsync(args[1..], stdout, Console.Error, interrupt.Token);
}

Serilog.Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateBootstrapLogger();
try
{
    var app = TileServerApp.Build(args);
    app.Run();
    return 0;
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    Serilog.Log.Fatal(ex, "The tile server could not start");
    return 1;
}
finally
{
    Serilog.Log.CloseAndFlush();
}

public partial class Program;

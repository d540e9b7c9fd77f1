using Serilog;
using TileServer.Api;

if (args is ["healthcheck", ..])
{
    // Container HEALTHCHECK without curl in the image: GET /healthz on the local port.
    return await HealthProbe.RunAsync(args.Length > 1 ? args[1] : null);
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

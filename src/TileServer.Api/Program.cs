using Serilog;
using TileServer.Api;

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

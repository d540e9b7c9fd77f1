namespace TileServer.Rendering.Tests;

/// <summary>
/// Independent third-party checkers the tests run (Debian packages). A missing one fails the test and names the
/// command that installs it.
/// </summary>
internal static class RequiredTools
{
    public const string PngCheck = "/usr/bin/pngcheck";

    public const string Python = "/usr/bin/python3";

    public static string Require(string path, string debianPackage) =>
        File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{path} is missing: run tests/run.sh (installs the Debian package {debianPackage}).");

    public static string MissingModuleMessage(string module, string debianPackage) =>
        $"{Python} has no module '{module}': run tests/run.sh (installs the Debian package {debianPackage}).";
}

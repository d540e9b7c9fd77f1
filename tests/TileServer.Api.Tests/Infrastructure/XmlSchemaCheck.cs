using System.Diagnostics;

namespace TileServer.Api.Tests.Infrastructure;

/// <summary>
/// Validates XML with libxml2's <c>xmllint --nonet --schema</c> against the official schemas copied into
/// <c>tests/data/schemas</c> (see its SOURCES.md); a missing xmllint fails the test naming the package.
/// </summary>
public static class XmlSchemaCheck
{
    public static string WmsCapabilities => Paths.TestData("schemas", "wms", "1.3.0", "capabilities_1_3_0.xsd");

    public static string WmsExceptions => Paths.TestData("schemas", "wms", "1.3.0", "exceptions_1_3_0.xsd");

    /// <summary>(valid, xmllint's messages) for a document.</summary>
    public static async Task<(bool Valid, string Output)> ValidateAsync(byte[] xml, string schema)
    {
        string file = Path.Combine(Path.GetTempPath(), "xmlcheck-" + Guid.NewGuid().ToString("N") + ".xml");
        await File.WriteAllBytesAsync(file, xml);
        try
        {
            return await ValidateFileAsync(file, schema);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static async Task<(bool Valid, string Output)> ValidateFileAsync(string file, string schema)
    {
        var psi = new ProcessStartInfo("xmllint", ["--nonet", "--noout", "--schema", schema, file])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("xmllint is not installed: apt-get install libxml2-utils (tests/run.sh installs it).", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            string output = (await stdout) + (await stderr);
            // 0 = valid, 3 = invalid; anything else (schema did not compile, file unreadable) is a broken check.
            Assert.True(process.ExitCode is 0 or 3, $"xmllint failed (exit {process.ExitCode}): {output}");
            return (process.ExitCode == 0, output);
        }
    }

    public static async Task AssertValidAsync(byte[] xml, string schema, string label)
    {
        var (valid, output) = await ValidateAsync(xml, schema);
        Assert.True(valid, $"{label} does not validate against {Path.GetFileName(schema)}: {output}");
    }
}

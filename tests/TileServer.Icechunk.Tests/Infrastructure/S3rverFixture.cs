using System.Diagnostics;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using TileServer.Storage;
using Xunit;

namespace TileServer.Icechunk.Tests.Infrastructure;

/// <summary>
/// A real S3-compatible server (npm s3rver, pinned in tests/tools) on 127.0.0.1 with a free port and a
/// temporary data folder, plus an SDK client (independent of our store) to create buckets and upload.
/// </summary>
public sealed partial class S3rverFixture : IAsyncLifetime
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    public const string Bucket = "test-bucket";

    private Process? _process;
    private TempFolder? _data;

    public string ServiceUrl { get; private set; } = string.Empty;

    public AmazonS3Client Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        string script = Path.Combine(TestData.Root, "tests", "tools", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"s3rver is not installed ({script} is missing): run tests/run.sh (installs it with `npm ci --prefix tests/tools`)");
        }

        _data = new TempFolder();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { script, "-d", _data.Path, "-a", "127.0.0.1", "-p", "0", "--no-vhost-buckets" })
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("`node` (Node.js 20) is not on PATH; it runs the s3rver test server", ex);
        }

        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new System.Text.StringBuilder();
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && ListeningLine().Match(e.Data) is { Success: true } m)
            {
                listening.TrySetResult(m.Groups[1].Value);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"s3rver exited early: {stderr}"));
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        string port = await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        ServiceUrl = $"http://127.0.0.1:{port}";
        Client = CreateClient(AccessKey, SecretKey);
        await Client.PutBucketAsync(new PutBucketRequest { BucketName = Bucket });
    }

    public AmazonS3Client CreateClient(string accessKey, string secretKey) =>
        new(new BasicAWSCredentials(accessKey, secretKey), new AmazonS3Config
        {
            ServiceURL = ServiceUrl,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });

    public Task PutAsync(string key, byte[] bytes) =>
        Client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket,
            Key = key,
            InputStream = new MemoryStream(bytes),
            UseChunkEncoding = false,
        });

    public StoreOptions Options(string? accessKey = AccessKey, string? secretKey = SecretKey) => new()
    {
        S3 = new S3StoreOptions
        {
            ServiceUrl = ServiceUrl,
            AccessKey = accessKey,
            SecretKey = secretKey,
            Region = "us-east-1",
            ForcePathStyle = true,
            Timeout = TimeSpan.FromSeconds(10),
        },
        Retry = new RetryOptions { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(10) },
    };

    public Task DisposeAsync()
    {
        Client?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        _data?.Dispose();
        return Task.CompletedTask;
    }

    [GeneratedRegex(@"listening on [^:]+:(\d+)")]
    private static partial Regex ListeningLine();
}

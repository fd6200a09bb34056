using Yarp.ReverseProxy.Configuration;

// Plain YARP: one catch-all route to one destination, nothing else. Arguments:
//   --urls http://127.0.0.1:<port> --Upstream http://127.0.0.1:<port>/
var builder = WebApplication.CreateBuilder(args);

// The gateway's shipped configuration logs ASP.NET Core and YARP at Warning; so does the baseline.
builder.Logging.SetMinimumLevel(LogLevel.Warning);

var upstream = builder.Configuration["Upstream"]
    ?? throw new InvalidOperationException("--Upstream http://127.0.0.1:<port>/ is required.");

builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "up", Match = new RouteMatch { Path = "/{**catch-all}" } }],
    [new ClusterConfig
    {
        ClusterId = "up",
        Destinations = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase)
        {
            ["upstream"] = new DestinationConfig { Address = upstream },
        },
    }]);

var app = builder.Build();
app.MapReverseProxy();
await app.RunAsync();

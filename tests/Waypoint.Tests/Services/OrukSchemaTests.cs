using System.Text.Json;
using Shouldly;
using Xunit;

namespace Waypoint.Tests.Services;

/// <summary>The published schemas themselves accept a service written by hand to them and name what breaks one.</summary>
public sealed class OrukSchemaTests
{
    private const string Service = """
        {
          "id": "0b9c8a6e-3f1d-4c55-9d2e-6a1f4e2b7c10",
          "organization_id": "5d6f7a81-2b3c-4d4e-8f90-a1b2c3d4e5f6",
          "name": "Step Forward alternative provision",
          "status": "active",
          "email": "referrals@stepforward.example.org.uk",
          "minimum_age": 13,
          "last_modified": "2026-02-01T09:30:00Z"
        }
        """;

    [Fact]
    public void Problems_ServiceWrittenToTheSchema_None()
    {
        OrukSchema.Problems(Parse(Service), "service").ShouldBeEmpty();
        OrukSchema.Problems(Parse($$"""{ "total_items": 1, "total_pages": 1, "page_number": 1, "size": 1, "first_page": true, "last_page": true, "empty": false, "contents": [{{Service}}] }"""), "service_list")
            .ShouldBeEmpty();
    }

    [Theory]
    [InlineData("\"status\": \"active\"", "\"status\": \"open\"")]
    [InlineData("\"id\": \"0b9c8a6e-3f1d-4c55-9d2e-6a1f4e2b7c10\"", "\"id\": \"service-1\"")]
    [InlineData("\"minimum_age\": 13", "\"minimum_age\": \"thirteen\"")]
    [InlineData("\"last_modified\": \"2026-02-01T09:30:00Z\"", "\"last_modified\": \"yesterday\"")]
    [InlineData("\"name\": \"Step Forward alternative provision\",", "")]
    public void Problems_ServiceBreakingTheSchema_Named(string right, string wrong)
    {
        var broken = Service.Replace(right, wrong, StringComparison.Ordinal);
        broken.ShouldNotBe(Service);

        OrukSchema.Problems(Parse(broken), "service").ShouldNotBeEmpty();
        OrukSchema.Problems(Parse($$"""{ "total_items": 1, "total_pages": 1, "page_number": 1, "size": 1, "first_page": true, "last_page": true, "empty": false, "contents": [{{broken}}] }"""), "service_list")
            .ShouldNotBeEmpty();
    }

    [Fact]
    public void PageProblems_OrganisationWithoutItsDescription_Named()
    {
        const string page = """
            { "total_items": 2, "total_pages": 1, "page_number": 1, "size": 2, "first_page": true, "last_page": true, "empty": false, "contents": [
              { "id": "5d6f7a81-2b3c-4d4e-8f90-a1b2c3d4e5f6", "name": "Step Forward Learning CIC", "description": "Alternative provision" },
              { "id": "6d6f7a81-2b3c-4d4e-8f90-a1b2c3d4e5f6", "name": "Northshire Youth Service" } ] }
            """;

        OrukSchema.PageProblems(Parse(page), "organization").ShouldHaveSingleItem().ShouldStartWith("$.contents[1]");
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}

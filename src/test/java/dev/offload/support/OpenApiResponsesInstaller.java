package dev.offload.support;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;

/** Puts {@link OpenApiResponses} in front of every REST-assured call of every {@code @QuarkusTest}. */
public class OpenApiResponsesInstaller implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        if (RestAssured.filters().stream().noneMatch(f -> f instanceof OpenApiResponses)) {
            RestAssured.filters(new OpenApiResponses());
        }
    }
}

/*
    Mycel's adapter for ADL's CATAPULT LMS test suite (GitHub adlnet/CATAPULT, folder lts/).

    The suite loads this module through CATAPULT_LMS (scripts/cmi5-conformance copies it into the
    suite's lib/ folder, next to lib/errors.js, and writes the .env that names it). It implements
    the interface of the suite's lib/lms.template.js against Mycel's HTTP API.

    Environment:
        MYCEL_URL     the server, e.g. http://127.0.0.1:8095 (no trailing slash needed)
        MYCEL_TENANT  the member company's slug
        MYCEL_KEY     an API credential with the scope `all` (HTTP Basic user)
        MYCEL_SECRET  its secret (HTTP Basic password)

    API used:
        POST /api/v1/tenants/{t}/packages                          import a zip or a bare cmi5.xml
        POST /api/v1/tenants/{t}/opportunities/{id}/cmi5/launches  a launch URL for one AU
        POST /api/v1/tenants/{t}/cmi5/registrations/{r}/waivers    waive an AU
        POST /api/v1/tenants/{t}/cmi5/sessions/{s}/abandon         abandon a session
        {MYCEL_URL}/xapi                                           the LRS, for the suite's checks
*/
"use strict";

const Wreck = require("@hapi/wreck"),
    {InvalidPackageError} = require("./errors");

/** A setting from the environment; a missing one stops the suite with the variable's name. */
const setting = (name) => {
    const value = process.env[name];

    if (! value) {
        throw new Error(`lms.mycel.js: environment variable ${name} is not set`);
    }

    return value;
};

const baseUrl = () => setting("MYCEL_URL").replace(/\/+$/, ""),
    tenantPath = () => `${baseUrl()}/api/v1/tenants/${encodeURIComponent(setting("MYCEL_TENANT"))}`,
    basicAuth = () => "Basic " + Buffer.from(`${setting("MYCEL_KEY")}:${setting("MYCEL_SECRET")}`).toString("base64");

/** Reads a stream to its end as one Buffer. */
const readAll = async (stream) => {
    const chunks = [];

    for await (const chunk of stream) {
        chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    }

    return Buffer.concat(chunks);
};

/**
 * Sends a request to Mycel and returns {statusCode, body}, the body parsed as JSON when it is JSON
 * (else the text). Errors are answers here, not exceptions: the callers decide what each status
 * means.
 */
const call = async (method, url, {payload, contentType} = {}) => {
    const headers = {Authorization: basicAuth()};

    if (contentType) {
        headers["Content-Type"] = contentType;
    }

    let response;

    try {
        response = await Wreck.request(method, url, {headers, payload});
    }
    catch (ex) {
        throw new Error(`${method} ${url} failed: ${ex.message}`);
    }

    const raw = (await Wreck.read(response)).toString("utf8");
    let body = raw;

    try {
        body = raw.length > 0 ? JSON.parse(raw) : null;
    }
    catch (ex) {
        // not JSON: keep the text for the error message
    }

    return {statusCode: response.statusCode, body};
};

const postJson = (url, object) => call("POST", url, {payload: JSON.stringify(object), contentType: "application/json"});

/** An Error naming the request, the status and Mycel's error body. */
const failure = (what, {statusCode, body}) => new Error(
    `${what}: HTTP ${statusCode} ${typeof body === "string" ? body : JSON.stringify(body)}`
);

module.exports = {
    // Nothing to create: the tenant and the credential are made before the suite runs. Checks
    // that Mycel answers and the credential is accepted, so a misconfiguration fails early.
    setup: async () => {
        const ready = await call("GET", `${baseUrl()}/readyz`);

        if (ready.statusCode !== 200) {
            throw failure(`Mycel at ${baseUrl()} is not ready`, ready);
        }

        const tenant = await call("GET", tenantPath());

        if (tenant.statusCode !== 200) {
            throw failure(
                `Mycel refused the member company ${setting("MYCEL_TENANT")} to the API credential (MYCEL_KEY/MYCEL_SECRET, scope all)`,
                tenant
            );
        }
    },

    teardown: async () => {},

    getLrsEndpoint: () => `${baseUrl()}/xapi`,

    getLrsAuthHeader: () => basicAuth(),

    // The bytes are sent as they are; Mycel tells a zip from a bare cmi5.xml by the bytes, not by
    // the content type. A refusal (422 package_refused) is the suite's InvalidPackageError.
    importCourse: async (stream, contentType, filename) => {
        const payload = await readAll(stream),
            answer = await call("POST", `${tenantPath()}/packages`, {payload, contentType});

        if (answer.statusCode === 201 && answer.body && answer.body.opportunity) {
            return answer.body.opportunity.id;
        }

        const error = answer.body && answer.body.error;

        if (answer.statusCode === 422 && error && error.code === "package_refused") {
            throw new InvalidPackageError(`${filename}: ${error.message}`);
        }

        throw failure(`importing ${filename}`, answer);
    },

    getLaunchUrl: async (courseId, auIndex, actor, {registration, launchMode} = {}) => {
        const request = {au_index: auIndex, actor};

        if (registration !== undefined) {
            request.registration = registration;
        }
        if (launchMode !== undefined) {
            request.launch_mode = launchMode;
        }

        const answer = await postJson(
            `${tenantPath()}/opportunities/${encodeURIComponent(courseId)}/cmi5/launches`,
            request
        );

        if (answer.statusCode !== 201 || ! answer.body || ! answer.body.url) {
            throw failure(`launching AU ${auIndex} of course ${courseId}`, answer);
        }

        return answer.body.url;
    },

    // Each test imports its own course; nothing is shared between tests.
    cleanup: async () => {},

    hasWaive: () => true,

    waiveAU: async (registration, auIndex, reason) => {
        const answer = await postJson(
            `${tenantPath()}/cmi5/registrations/${encodeURIComponent(registration)}/waivers`,
            {au_index: auIndex, reason}
        );

        if (answer.statusCode !== 201) {
            throw failure(`waiving AU ${auIndex} of registration ${registration}`, answer);
        }
    },

    hasAbandon: () => true,

    abandonSession: async (sessionId) => {
        const answer = await call(
            "POST",
            `${tenantPath()}/cmi5/sessions/${encodeURIComponent(sessionId)}/abandon`
        );

        if (answer.statusCode !== 200) {
            throw failure(`abandoning session ${sessionId}`, answer);
        }
    }
};

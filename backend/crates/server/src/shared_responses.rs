//! The error statuses every operation can answer with, documented once for the whole API
//! rather than repeated on each route: the middleware and extractors produce them for any route.

use utoipa::openapi::{
    ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder,
    path::{Operation, ParameterIn},
    response::Response,
};

use crate::error::PROBLEM_CONTENT_TYPE;

/// Adds the shared error responses an operation does not document itself:
/// - 400: a body or query that cannot be read (malformed JSON, wrong content type);
/// - 401: on every operation that needs a bearer credential;
/// - 404: on every operation with a path parameter (an unknown or unparsable id);
/// - 413: on every operation with a request body;
/// - 422: a field that fails validation;
/// - 429: the per-user or per-address rate limit;
/// - 500, 503: an unexpected failure, a request over the time limit or a service not ready.
pub fn document(openapi: &mut OpenApi) {
    for item in openapi.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
            &mut item.head,
            &mut item.options,
        ];
        for operation in operations.into_iter().flatten() {
            document_operation(operation);
        }
    }
}

fn document_operation(operation: &mut Operation) {
    let secured = operation.security.as_ref().is_some_and(|requirements| !requirements.is_empty());
    let has_path_parameter = operation
        .parameters
        .iter()
        .flatten()
        .any(|parameter| matches!(parameter.parameter_in, ParameterIn::Path));
    let has_body = operation.request_body.is_some();
    let shared = [
        ("400", true, "The request could not be read: malformed JSON, a wrong content type or query"),
        ("401", secured, "No valid bearer credential"),
        ("404", has_path_parameter, "No such resource for this caller"),
        ("413", has_body, "The request body is larger than the limit"),
        ("422", true, "A field is invalid; `errors` names each one"),
        ("429", true, "Too many requests: `Retry-After` says when to try again"),
        ("500", true, "An unexpected failure on our side (logged with the request id)"),
        ("503", true, "The request took too long, or a dependency is unavailable"),
    ];
    for (status, applies, description) in shared {
        if applies && !operation.responses.responses.contains_key(status) {
            operation.responses.responses.insert(status.to_owned(), problem(description));
        }
    }
}

fn problem(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                PROBLEM_CONTENT_TYPE,
                ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
            )
            .build(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_operation_documents_the_shared_errors() {
        let document = crate::app::openapi_document();
        for (path, item) in &document.paths.paths {
            for (operation, method) in [
                (&item.get, "get"),
                (&item.post, "post"),
                (&item.patch, "patch"),
                (&item.put, "put"),
                (&item.delete, "delete"),
            ] {
                let Some(operation) = operation else { continue };
                for status in ["400", "422", "429", "500", "503"] {
                    assert!(
                        operation.responses.responses.contains_key(status),
                        "{method} {path} lacks {status}"
                    );
                }
                if operation.security.as_ref().is_some_and(|security| !security.is_empty()) {
                    assert!(operation.responses.responses.contains_key("401"), "{method} {path} lacks 401");
                }
            }
        }
    }
}

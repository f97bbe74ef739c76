// LO Hub's GraphiQL: queries and mutations over HTTP, subscriptions over graphql-transport-ws
// on the same URL. The headers editor's headers go with both: on the WebSocket they become the
// connection_init payload, so {"Authorization": "Bearer <accessToken from login>"} signs in
// everywhere. Shareable links carry the query and variables (?q=…&variables=…), never headers.
(function () {
  const url = window.location.origin + window.location.pathname;
  const parameters = new URLSearchParams(window.location.search);
  const fetcher = GraphiQL.createFetcher({
    url: url,
    subscriptionUrl: url.replace(/^http/, "ws"),
  });
  const EXAMPLE = `# LO Hub. Sign in: run this mutation, then put
#   {"Authorization": "Bearer <accessToken>"}
# in the Headers tab below.
mutation Login {
  login(input: {username: "admin", password: "…"}) {
    session { accessToken }
    errors { code message }
  }
}
`;

  function remember(name) {
    return function (value) {
      const next = new URLSearchParams(window.location.search);
      if (value) next.set(name, value);
      else next.delete(name);
      history.replaceState(null, "", "?" + next.toString());
    };
  }

  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: EXAMPLE,
      query: parameters.get("q") || undefined,
      variables: parameters.get("variables") || undefined,
      onEditQuery: remember("q"),
      onEditVariables: remember("variables"),
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      defaultEditorToolsVisibility: "headers",
      inputValueDeprecation: true,
    }),
  );
})();

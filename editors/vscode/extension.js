// The scn extension: the language is declared in package.json (grammar, comments,
// brackets); everything else comes from `scn lsp`, started here over stdio.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace.getConfiguration("scn").get("command") || ["scn", "lsp"];
  const server = { command, args: args.length ? args : ["lsp"], transport: TransportKind.stdio };
  client = new LanguageClient("scn", "scn language server", server, {
    documentSelector: [
      { scheme: "file", language: "scn" },
      { scheme: "untitled", language: "scn" },
    ],
  });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };

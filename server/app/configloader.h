#pragma once
// Turns the command line, the environment and an optional INI file into a ServerConfig.
// Precedence: command line > FLACK_* environment > config file > default. The secrets (the
// cluster secret, the admin token) come only from a file (--cluster-secret-file,
// --admin-token-file) or the environment (FLACK_CLUSTER_SECRET, FLACK_ADMIN_TOKEN), and no
// error text ever contains them. Pure apart from reading the config and secret files, so every
// rule is unit-testable.

#include "server/app/serverconfig.h"

#include <QProcessEnvironment>
#include <QStringList>

#include <optional>

namespace flack::server::app {

struct ConfigResult
{
    enum class Outcome {
        Run,      // config is valid: start the server
        ShowText, // --help or --version: print text, exit 0
        Error,    // print error (one line), exit 1
    };
    Outcome outcome = Outcome::Error;
    ServerConfig config;
    QString text; // help/version text, or the error line
};

class ConfigLoader
{
public:
    // arguments include the program name, as QCoreApplication::arguments() does.
    static ConfigResult load(const QStringList &arguments, const QProcessEnvironment &environment);

    // The text of one (non-secret) setting from the source that wins (command line, then
    // environment, then the config file), unchecked; nullopt when none sets it or the
    // arguments don't parse. Builds no ServerConfig, whose TLS members would start Qt's TLS
    // backend: safe before the QCoreApplication exists (see EventDispatcherChoice).
    static std::optional<QString> rawSetting(const QStringList &arguments,
                                             const QProcessEnvironment &environment,
                                             const char *name);
};

} // namespace flack::server::app

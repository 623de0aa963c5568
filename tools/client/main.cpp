// flack-client: the command-line chat client (successor of the original's Python reference
// client, with the same options). See ChatClient for the conversation.

#include "tools/client/chatclient.h"
#include "tools/core/clientoptions.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("flack-client"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLACK_VERSION));

    flack::tools::ClientOptions options;
    const auto parsed = options.parse(QCoreApplication::arguments());
    using Outcome = flack::tools::ClientOptions::Outcome;
    if (parsed.outcome == Outcome::ShowHelp) {
        QTextStream(stdout) << flack::tools::ClientOptions::helpText();
        return 0;
    }
    if (parsed.outcome == Outcome::ShowVersion) {
        QTextStream(stdout) << "flack-client " << FLACK_VERSION << Qt::endl;
        return 0;
    }
    if (parsed.outcome == Outcome::Error) {
        QTextStream(stderr) << "flack-client: " << parsed.error << "\n\n"
                            << flack::tools::ClientOptions::helpText();
        return flack::tools::ChatClient::Usage;
    }

    flack::tools::ChatClient client(options);
    QObject::connect(&client, &flack::tools::ChatClient::finished, &app,
                     [](int code) { QCoreApplication::exit(code); });
    client.start();
    return app.exec();
}
